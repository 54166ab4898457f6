"""The intake page: staff and referrer forms, add and remove rows, the duplicates step,
and bad input shown in the form with nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.cases.models import Case
from amends.core.testing.matrix import domain_snapshot
from amends.people.models import Person
from amends.referrals.tests.forms_data import intake_data, person_row, responsible_row
from amends.referrals.tests.helpers import category, submit

pytestmark = pytest.mark.django_db


def new_url(cast):
    return reverse("referrals:new", args=[cast.programme.slug])


def test_the_staff_form_offers_self_referral_and_the_referrer_form_does_not(cast, client_for):
    staff = client_for("coordinator").get(new_url(cast)).content.decode()
    referrer = client_for("referrer").get(new_url(cast)).content.decode()
    assert 'value="self"' in staff
    assert 'value="self"' not in referrer
    assert "Referrer" in referrer  # the referrer's own name, filled in for them


def test_safety_of_each_channel_has_no_default_answer(cast, client_for):
    page = client_for("coordinator").get(new_url(cast)).content.decode()
    assert 'name="people-0-phone_safe"' in page
    assert "checked" not in page.split('name="people-0-phone_safe"')[1].split(">")[0]


def test_the_start_page_goes_straight_to_the_only_programme(cast, client_for):
    response = client_for("referrer").get(reverse("referrals:start"))
    assert response.status_code == 302
    assert response["Location"] == new_url(cast)


def test_staff_intake_opens_the_case_and_shows_it(cast, client_for):
    response = client_for("coordinator").post(new_url(cast), intake_data(cast.programme))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert case.participants.count() == 2


def test_a_referrer_is_sent_to_their_list_after_sending(cast, client_for):
    client = client_for("referrer")
    response = client.post(new_url(cast), intake_data(cast.programme), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("referrals:mine")
    assert case.referral.submitted_by == cast.referrer
    assert case.reference in response.content.decode()


def test_add_another_person_draws_a_new_row_and_writes_nothing(cast, client_for):
    before = domain_snapshot()
    data = intake_data(cast.programme, add_person="1")
    data.pop("send")
    response = client_for("coordinator").post(new_url(cast), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="people-TOTAL_FORMS" value="3"' in page
    assert 'value="Hana"' in page  # what was typed is kept
    assert "This field is required" not in page
    assert domain_snapshot() == before


def test_add_another_offence_draws_a_new_row(cast, client_for):
    data = intake_data(cast.programme, add_offence="1")
    data.pop("send")
    page = client_for("coordinator").post(new_url(cast), data).content.decode()
    assert 'name="offences-TOTAL_FORMS" value="2"' in page


def test_remove_a_person_keeps_the_others_and_their_guardian_links(cast, client_for):
    people = [
        person_row(given_name="Kim", role="harmed"),
        person_row(given_name="Zed", role="supporter", phone="", phone_safe=None),
        person_row(given_name="Gil", role="guardian", guardian_for="0", phone=""),
    ]
    data = intake_data(cast.programme, people=people, remove_person="1")
    data.pop("send")
    page = client_for("coordinator").post(new_url(cast), data).content.decode()
    assert 'name="people-TOTAL_FORMS" value="2"' in page
    assert "Zed" not in page
    assert 'value="Gil"' in page
    guardian_select = page.split('name="people-1-guardian_for"')[1].split("</select>")[0]
    assert '<option value="0" selected>' in guardian_select


def test_a_channel_without_a_safety_answer_is_refused_in_the_form(cast, client_for):
    before = domain_snapshot()
    data = intake_data(cast.programme, people=[person_row(phone_safe=None), responsible_row()])
    response = client_for("coordinator").post(new_url(cast), data)
    assert response.status_code == 400
    assert "Say whether it is safe to contact the person this way." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"crime_reported_on": "2999-01-01"},
            "The date the crime was reported cannot be in the future.",
        ),
        (
            {"offences-0-occurred_on": "2999-01-01"},
            "Offence 1: the date of the offence cannot be in the future.",
        ),
        (
            {"people-0-date_of_birth": "1801-01-01"},
            "Person 1: The date of birth is more than 120 years ago; check the year.",
        ),
        (
            {"people-1-email": "not-an-address"},
            "Person 2: “not-an-address” is not a valid e-mail address.",
        ),
        ({"crime_reported_on": "31/02/2024"}, "Enter a valid date."),
        ({"offences-0-category": "999999"}, "Select a valid choice."),
    ],
    ids=[
        "report in future",
        "offence in future",
        "implausible birth",
        "bad e-mail",
        "bad date",
        "bad category",
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(cast, client_for, changes, message):
    before = domain_snapshot()
    response = client_for("coordinator").post(new_url(cast), intake_data(cast.programme, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before


def test_a_referral_with_nobody_in_it_is_refused(cast, client_for):
    data = intake_data(
        cast.programme,
        people=[
            person_row(given_name="", family_name="", date_of_birth="", phone="", phone_safe=None)
        ],
    )
    response = client_for("coordinator").post(new_url(cast), data)
    assert response.status_code == 400
    assert "Add at least one person harmed or person responsible." in response.content.decode()
    assert not Case.objects.exists()


# --- the duplicates step -----------------------------------------------------------------
@pytest.fixture
def known(cast):
    return submit(cast.coordinator, cast.programme).participants.get(role="harmed").person


def test_staff_are_shown_possible_duplicates_and_nothing_is_written_yet(cast, client_for, known):
    before = domain_snapshot()
    response = client_for("coordinator").post(new_url(cast), intake_data(cast.programme))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is this someone the programme already knows?" in page
    assert "The same person as Hana Harmed" in page
    assert "Born in 1980." in page
    assert "name and date of birth, phone number" in page
    assert "1980-05-01" not in page.split("already knows?")[1].split("</fieldset>")[0]
    assert domain_snapshot() == before


def _with_choice(cast, choice, shown):
    # Person 2 is someone new, so only person 1 has possible duplicates.
    someone_new = responsible_row(given_name="Rob", email="rob@example.org")
    return intake_data(
        cast.programme,
        people=[person_row(), someone_new],
        **{"people-0-duplicate_choice": choice, "people-0-duplicates_shown": shown},
    )


def test_choosing_the_same_person_links_them(cast, client_for, known):
    people_before = Person.objects.count()
    response = client_for("coordinator").post(
        new_url(cast), _with_choice(cast, str(known.pk), str(known.pk))
    )
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.participants.get(role="harmed").person == known
    assert Person.objects.count() == people_before + 1  # only the person responsible is new


def test_choosing_a_different_person_creates_a_new_one(cast, client_for, known):
    people_before = Person.objects.count()
    response = client_for("coordinator").post(
        new_url(cast), _with_choice(cast, "new", str(known.pk))
    )
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.participants.get(role="harmed").person != known
    assert Person.objects.count() == people_before + 2


def test_a_link_to_someone_not_offered_is_never_made(cast, client_for, known):
    stranger = submit(cast.coordinator, cast.programme).participants.get(role="responsible").person
    before = domain_snapshot()
    response = client_for("coordinator").post(
        new_url(cast), _with_choice(cast, str(stranger.pk), f"{known.pk},{stranger.pk}")
    )
    assert response.status_code == 200  # asked again
    assert "Is this someone the programme already knows?" in response.content.decode()
    assert domain_snapshot() == before


def test_a_match_not_yet_seen_is_shown_before_anything_is_written(cast, client_for, known):
    data = _with_choice(cast, "new", "")
    before = domain_snapshot()
    response = client_for("coordinator").post(new_url(cast), data)
    assert response.status_code == 200
    assert domain_snapshot() == before


def test_referrers_never_see_possible_duplicates_and_their_people_are_always_new(
    cast, client_for, known
):
    people_before = Person.objects.count()
    response = client_for("referrer").post(new_url(cast), intake_data(cast.programme))
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.participants.get(role="harmed").person != known
    assert Person.objects.count() == people_before + 2


def test_a_referrer_cannot_link_by_sending_a_choice_anyway(cast, client_for, known):
    response = client_for("referrer").post(
        new_url(cast), _with_choice(cast, str(known.pk), str(known.pk))
    )
    assert response.status_code == 302
    case = Case.objects.latest("pk")
    assert case.participants.get(role="harmed").person != known


def test_remove_an_offence_keeps_the_others(cast, client_for):
    property_id = str(category(cast.programme, "property").pk)
    offences = [
        {"category": property_id, "justice_stage": "none"},
        {"category": str(category(cast.programme, "violence").pk), "justice_stage": "none"},
    ]
    data = intake_data(cast.programme, offences=offences, remove_offence="1")
    data.pop("send")
    page = client_for("coordinator").post(new_url(cast), data).content.decode()
    assert 'name="offences-TOTAL_FORMS" value="1"' in page
    assert f'<option value="{property_id}" selected>' in page


def test_reasons_number_the_people_as_the_page_shows_them_after_a_refusal(cast, client_for):
    # An empty first row is left out, so the page is drawn again without it and the
    # person the reason is about is "Person 1" both in the reason and on the page.
    empty = person_row(given_name="", family_name="", date_of_birth="", phone="", phone_safe=None)
    data = intake_data(
        cast.programme, people=[empty, person_row(date_of_birth="1850-01-01"), responsible_row()]
    )
    response = client_for("coordinator").post(new_url(cast), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Person 1: The date of birth is more than 120 years ago" in page
    assert 'name="people-TOTAL_FORMS" value="2"' in page
    assert 'name="people-0-given_name" value="Hana"' in page
