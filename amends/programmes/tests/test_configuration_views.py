"""The programme settings pages: what administrators and supervisors see and change, the
messages bad input gets, and that a refused form changes nothing."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
)
from amends.programmes.services import (
    information_sheet_publish,
    offence_category_add,
    offence_category_update,
)
from amends.programmes.tests.helpers import present


def _url(cast, name, *args):
    return reverse(f"programmes:{name}", args=[cast.programme.slug, *args])


def _category(cast, code):
    return OffenceCategory.objects.get(programme=cast.programme, code=code)


def test_the_settings_page_shows_the_rules_the_taxonomy_and_the_current_versions(cast, client_for):
    response = client_for("supervisor").get(_url(cast, "settings"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Circle of Support and Accountability" in body
    assert "90 days" in body
    assert "Domestic abuse" in body
    assert "Eligible under the specialist protocol" in body
    assert "Version 1 is current" in body
    assert _url(cast, "information_version", "en", 1) in body


def test_the_settings_page_warns_about_a_category_without_an_eligibility_rule(cast, client_for):
    offence_category_add(actor=None, programme=cast.programme, code="fraud", name="Fraud")
    body = client_for("administrator").get(_url(cast, "settings")).content.decode()
    assert "referrals in them cannot be found eligible" in body
    assert "Not decided" in body


def test_the_settings_page_query_count_does_not_grow_with_categories_and_versions(cast, client_for):
    client = client_for("administrator")
    client.get(_url(cast, "settings"))
    with CaptureQueriesContext(connection) as few:
        client.get(_url(cast, "settings"))
    for number in range(5):
        offence_category_add(
            actor=None, programme=cast.programme, code=f"c{number}", name=f"C {number}"
        )
        information_sheet_publish(
            actor=None, programme=cast.programme, language="cy", title="T", body=f"B {number}"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(_url(cast, "settings"))
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["administrator", "supervisor"])
def test_the_members_page_leads_those_who_configure_to_the_settings(cast, client_for, name):
    body = client_for(name).get(reverse("programmes:members", args=[cast.programme.slug]))
    assert _url(cast, "settings") in body.content.decode()


# The process clocks and facilitator standards as the form shows them by default.
PROCESS_RULES = {
    "meeting_stagger_minutes": "15",
    "reminder_offsets_hours": "48, 2",
    "video_base_url": "",
    "max_work_hours": "40",
    "agreement_grace_days": "7",
    "follow_up_offsets_days": "14, 91",
    "survey_link_valid_days": "14",
    "support_reply_days": "5",
    "supervision_interval_days": "84",
    "cpd_hours_foundation": "6",
    "cpd_hours_intermediate": "12",
    "cpd_hours_advanced": "16",
}


def test_the_working_rules_form_starts_from_the_current_rules_and_saves_changes(cast, client_for):
    client = client_for("administrator")
    form = client.get(_url(cast, "settings_edit")).content.decode()
    assert 'value="meeting" class="form-check-input" id="id_process_types_0" checked' in form
    # when
    response = client.post(
        _url(cast, "settings_edit"),
        {
            "process_types": ["shuttle", "letters"],
            "terminology": "harmed_responsible",
            "assessment_validity_days": "45",
            "consent_validity_days": "365",
            "fast_track_enabled": "on",
            **PROCESS_RULES,
            "reminder_offsets_hours": "72; 24, 1",
            "follow_up_offsets_days": "7, 30",
            "cpd_hours_advanced": "20",
            "video_base_url": "https://meet.northshire.example/",
            "default_language": "en",
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == _url(cast, "settings")
    stored = selectors.settings_for(cast.programme)
    assert stored.process_types == ["shuttle", "letters"]
    assert (stored.assessment_validity_days, stored.consent_validity_days) == (45, 365)
    assert stored.fast_track_enabled is True
    assert stored.reminder_offsets_hours == [72, 24, 1]
    assert stored.follow_up_offsets_days == [7, 30]
    assert stored.cpd_hours_advanced == 20
    assert stored.video_base_url == "https://meet.northshire.example/"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"process_types": []}, "Offer at least one process type."),
        ({"assessment_validity_days": "0"}, "An assessment must stay valid for at least one day."),
        ({"consent_validity_days": "soon"}, "Enter a whole number."),
        ({"default_language": "fr"}, "Select a valid choice."),
        (
            {"meeting_stagger_minutes": "-5"},
            "The gap between arrivals must be a whole number from 0 to 240.",
        ),
        ({"reminder_offsets_hours": "48, soon"}, "Write whole numbers separated by commas."),
        ({"follow_up_offsets_days": ""}, "This field is required."),
        (
            {"follow_up_offsets_days": "14, 0"},
            "Follow-up calls: give from one to 6 whole numbers, each from 1 to 730.",
        ),
        ({"max_work_hours": "0"}, "The most hours of work must be a whole number from 1 to 1000."),
        (
            {"supervision_interval_days": "400"},
            "The supervision interval must be a whole number from 7 to 365.",
        ),
        (
            {"video_base_url": "javascript:alert(1)"},
            "The video service address must be a web address",
        ),
    ],
)
def test_bad_working_rules_get_a_clear_message_and_change_nothing(
    cast, client_for, changes, message
):
    data = {
        "process_types": ["meeting"],
        "terminology": "harmed_responsible",
        "assessment_validity_days": "90",
        "consent_validity_days": "180",
        "default_language": "en",
        **PROCESS_RULES,
        **changes,
    }
    before = domain_snapshot()
    response = client_for("supervisor").post(_url(cast, "settings_edit"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before


def test_a_category_is_added_from_its_form(cast, client_for):
    response = client_for("administrator").post(
        _url(cast, "category_add"), {"code": "stalking", "name": "Stalking", "is_sensitive": "on"}
    )
    assert response.status_code == 302
    assert _category(cast, "stalking").is_sensitive is True


def test_a_sensitive_category_that_could_be_fast_tracked_is_refused_in_the_form(cast, client_for):
    before = domain_snapshot()
    response = client_for("administrator").post(
        _url(cast, "category_add"),
        {"code": "stalking", "name": "Stalking", "is_sensitive": "on", "allows_fast_track": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "The category was not added." in body
    assert "A sensitive category can never be fast-tracked" in body
    assert domain_snapshot() == before


def test_the_category_form_changes_a_category_but_never_its_code(cast, client_for):
    category = _category(cast, "violence")
    client = client_for("supervisor")
    form = client.get(_url(cast, "category_edit", category.pk)).content.decode()
    assert 'value="Violence against the person"' in form
    response = client.post(
        _url(cast, "category_edit", category.pk),
        {"name": "Violence", "code": "assault", "is_active": "on"},
    )
    assert response.status_code == 302
    stored = _category(cast, "violence")
    assert (stored.name, stored.is_active) == ("Violence", True)


def test_a_category_of_another_programme_is_not_found(cast, client_for):
    theirs = OffenceCategory.objects.get(programme=cast.other_programme, code="other")
    response = client_for("administrator").get(_url(cast, "category_edit", theirs.pk))
    assert response.status_code == 404


def test_the_policy_form_offers_sensitive_categories_no_plain_eligibility(cast, client_for):
    form = client_for("administrator").get(_url(cast, "eligibility_publish")).content.decode()
    assert 'name="category_property" value="eligible"' in form
    assert 'name="category_domestic-abuse" value="eligible"' not in form
    assert 'name="category_domestic-abuse" value="specialist"' in form


def _policy_data(cast, **changes):
    data = {
        f"category_{c.code}": "specialist" if c.is_sensitive else "eligible"
        for c in OffenceCategory.objects.filter(programme=cast.programme)
    }
    data.update({"minimum_age_responsible": "12", "conditions": "", **changes})
    return data


@pytest.mark.gate("G1")
def test_a_new_policy_is_published_from_the_form(cast, client_for):
    response = client_for("supervisor").post(
        _url(cast, "eligibility_publish"), _policy_data(cast, category_other="excluded")
    )
    assert response.status_code == 302
    policy = present(selectors.current_eligibility_policy(cast.programme))
    assert (policy.version, policy.excluded_categories) == (2, ["other"])
    assert policy.minimum_age_responsible == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category_other": ""}, "Say whether this category is eligible"),
        ({"category_sexual-harm": "eligible"}, "Select a valid choice."),
        ({"minimum_age_harmed": "200"}, "The minimum age of the person harmed must be"),
    ],
)
def test_a_bad_policy_gets_a_clear_message_and_nothing_is_published(
    cast, client_for, changes, message
):
    before = domain_snapshot()
    response = client_for("administrator").post(
        _url(cast, "eligibility_publish"), _policy_data(cast, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before
    assert EligibilityPolicy.objects.filter(programme=cast.programme).count() == 1


def test_the_template_form_starts_from_the_current_questions(cast, client_for):
    form = client_for("supervisor").get(_url(cast, "assessment_publish")).content.decode()
    assert "&quot;coercive_control&quot;" in form
    assert 'name="medium_threshold" value="12"' in form


@pytest.mark.gate("G4")
def test_a_new_template_is_published_from_the_form(cast, client_for):
    questions = [{"key": "safety", "text": "Safety. 0: none; 3: serious.", "weight": 3}]
    response = client_for("administrator").post(
        _url(cast, "assessment_publish"),
        {"questions": json.dumps(questions), "medium_threshold": "3", "high_threshold": "6"},
    )
    assert response.status_code == 302
    assert present(selectors.current_assessment_template(cast.programme)).questions == questions


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ('[{"key": "safety", "weight": 3,}]', "This is not valid JSON"),
        (
            '[{"key": "safety", "weight": 3,}]',
            "Illegal trailing comma before end of object at line 1, column 31",
        ),
        ('[{"key": "safety", "text": "Safety.", "weight": 9}]', "question “safety” must be"),
        ("[]", "Add at least one question."),
    ],
)
def test_a_bad_template_gets_a_clear_message_and_nothing_is_published(
    cast, client_for, questions, message
):
    before = domain_snapshot()
    response = client_for("supervisor").post(
        _url(cast, "assessment_publish"),
        {"questions": questions, "medium_threshold": "3", "high_threshold": "6"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before
    assert AssessmentTemplate.objects.filter(programme=cast.programme).count() == 1


def test_the_sheet_form_starts_from_the_current_sheet_in_the_language_asked(cast, client_for):
    client = client_for("administrator")
    english = client.get(_url(cast, "information_publish") + "?language=en").content.decode()
    welsh = client.get(_url(cast, "information_publish") + "?language=cy").content.decode()
    assert "Restorative justice: what it is and what happens next" in english
    assert 'value="cy"' in welsh
    assert "Restorative justice: what it is" not in welsh


@pytest.mark.gate("G3")
def test_a_sheet_in_a_new_language_is_published_from_the_form(cast, client_for):
    response = client_for("supervisor").post(
        _url(cast, "information_publish"),
        {"language": "cy", "title": "Cyfiawnder adferol", "body": "Testun."},
    )
    assert response.status_code == 302
    assert (
        present(selectors.current_information_sheet(cast.programme, "cy")).title
        == "Cyfiawnder adferol"
    )


def test_a_bad_sheet_gets_a_clear_message_and_nothing_is_published(cast, client_for):
    before = domain_snapshot()
    response = client_for("administrator").post(
        _url(cast, "information_publish"), {"language": "welsh", "title": "T", "body": "B"}
    )
    assert response.status_code == 400
    assert "“welsh” is not a language code" in response.content.decode()
    assert domain_snapshot() == before
    assert not InformationSheet.objects.filter(programme=cast.programme, language="welsh").exists()


def test_old_versions_stay_readable(cast, client_for):
    client = client_for("supervisor")
    information_sheet_publish(
        actor=None, programme=cast.programme, language="en", title="New", body="New text."
    )
    first = client.get(_url(cast, "information_version", "en", 1)).content.decode()
    policy = client.get(_url(cast, "eligibility_version", 1)).content.decode()
    template = client.get(_url(cast, "assessment_version", 1)).content.decode()
    assert "Restorative justice: what it is and what happens next" in first
    assert "Published versions never change." in first
    assert "Eligible under the specialist protocol" in policy
    assert "coercive_control" in template


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("eligibility_version", [2]),
        ("assessment_version", [9]),
        ("information_version", ["cy", 1]),
    ],
)
def test_a_version_that_does_not_exist_is_not_found(cast, client_for, name, args):
    assert client_for("administrator").get(_url(cast, name, *args)).status_code == 404


def test_a_category_no_longer_in_use_keeps_its_rule_in_a_version_published_from_the_form(
    cast, client_for
):
    # given "other" is eligible in version 1 and then taken out of use
    offence_category_update(actor=None, category=_category(cast, "other"), is_active=False)
    data = _policy_data(cast, category_violence="excluded")
    del data["category_other"]
    # when
    response = client_for("administrator").post(_url(cast, "eligibility_publish"), data)
    # then
    assert response.status_code == 302
    policy = present(selectors.current_eligibility_policy(cast.programme))
    assert policy.version == 2
    assert policy.eligible_categories == ["property", "other"]
    assert policy.excluded_categories == ["violence"]
