"""The meeting pages: scheduling through the form, what each person sees (the video
link only to invitees, session notes only to the case's workers, an advocate only their
client's own times), and bad input shown with nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.meetings.models import Meeting, SessionRecord
from amends.meetings.services import session_record_create
from amends.meetings.tests.helpers import at, minutes, schedule_joint, schedule_preparation
from conftest import enrol_totp, make_user

pytestmark = pytest.mark.django_db


def _day(days: int) -> str:
    return at(days).date().isoformat()


def _schedule_url(case) -> str:
    return reverse("meetings:schedule", args=[case.reference])


def _detail_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.case.reference, meeting.pk])


@pytest.fixture
def other_facilitator(cast):
    """A facilitator of the programme who is not assigned to the case."""
    user = make_user("other.facilitator@example.org", "Olive Other")
    Membership.objects.create(user=user, programme=cast.programme, role=Role.FACILITATOR)
    enrol_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_form_schedules_a_preparation_meeting(cast, case, harmed, client_for):
    response = client_for("facilitator").post(
        _schedule_url(case),
        {
            "kind": "preparation",
            "modality": "phone",
            "day": _day(2),
            "starts": "10:00",
            "ends": "11:00",
            "participants": [harmed.pk],
            "facilitators": [cast.facilitator.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail_url(meeting)
    assert (meeting.kind, meeting.starts_at) == ("preparation", at(2, 10))


def test_the_form_gives_each_person_their_own_times(
    cast, case, harmed, responsible, venue, client_for
):
    response = client_for("coordinator").post(
        _schedule_url(case),
        {
            "kind": "victim_offender",
            "modality": "in_person",
            "venue": venue.pk,
            "separate_waiting_booked": "on",
            "day": _day(5),
            "starts": "14:00",
            "ends": "16:00",
            "participants": [harmed.pk, responsible.pk],
            "facilitators": [cast.facilitator.pk],
            f"arrives_p{harmed.pk}": "13:45",
            f"leaves_p{responsible.pk}": "16:15",
        },
    )
    assert response.status_code == 302
    places = {a.participant_id: a for a in Meeting.objects.get().attendees.all()}
    assert (places[harmed.pk].arrives_at, places[harmed.pk].leaves_at) == (at(5, 13, 45), at(5, 16))
    assert places[responsible.pk].leaves_at == at(5, 16, 15)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"day": "2020-01-01"}, "The meeting must start in the future."),
        ({"ends": "09:00"}, "The meeting must end after it starts."),
        ({"participants": "both"}, "A preparation meeting is with one participant at a time"),
        ({"starts": "soon"}, "Starts at: Enter a valid time."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_scheduled(
    cast, case, harmed, responsible, client_for, changes, reason
):
    data = {
        "kind": "preparation",
        "modality": "phone",
        "day": _day(2),
        "starts": "10:00",
        "ends": "11:00",
        "participants": [harmed.pk],
        "facilitators": [cast.facilitator.pk],
        **changes,
    }
    if data["participants"] == "both":
        data["participants"] = [harmed.pk, responsible.pk]
    response = client_for("facilitator").post(_schedule_url(case), data)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_departure_before_the_arrival_is_explained(cast, case, harmed, responsible, client_for):
    response = client_for("facilitator").post(
        _schedule_url(case),
        {
            "kind": "victim_offender",
            "modality": "video",
            "day": _day(5),
            "starts": "14:00",
            "ends": "16:00",
            "participants": [harmed.pk, responsible.pk],
            "facilitators": [cast.facilitator.pk],
            f"arrives_p{harmed.pk}": "15:00",
            f"leaves_p{harmed.pk}": "14:30",
        },
    )
    assert response.status_code == 400
    assert "Hana H. (person harmed) must leave after they arrive." in response.content.decode()
    assert not Meeting.objects.exists()


def test_unmet_safeguards_are_listed_on_the_form(cast, da_case, venue, client_for):
    from amends.cases.tests.builders import participant

    harmed, responsible = participant(da_case, "harmed"), participant(da_case, "responsible")
    response = client_for("facilitator").post(
        _schedule_url(da_case),
        {
            "kind": "victim_offender",
            "modality": "in_person",
            "venue": venue.pk,
            "day": _day(5),
            "starts": "14:00",
            "ends": "16:00",
            "participants": [harmed.pk, responsible.pk],
            "facilitators": [cast.facilitator.pk],
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The meeting cannot be scheduled yet." in page
    assert "must arrive at least 15 minutes apart" in page
    assert not Meeting.objects.exists()


def test_the_video_link_is_shown_only_to_invitees(cast, case, harmed, responsible, client_for):
    meeting = schedule_joint(cast, case, harmed, responsible)
    link = f"https://meet.jit.si/{meeting.video_room}"
    assert link in client_for("facilitator").get(_detail_url(meeting)).content.decode()
    for name in ("coordinator", "supervisor"):
        page = client_for(name).get(_detail_url(meeting))
        assert page.status_code == 200
        assert meeting.video_room not in page.content.decode()
        assert "The video link is shown only to the people invited." in page.content.decode()


def _recorded(cast, case, harmed, responsible):
    meeting = schedule_joint(cast, case, harmed, responsible, days=-1, now=at(-9))
    session_record_create(
        actor=cast.facilitator,
        meeting=meeting,
        took_place=True,
        attended=list(meeting.attendees.all()),
        outcome="agreement",
        notes="Ray apologised in his own words.",
        concern="A remark about a child at home.",
    )
    return meeting


def test_session_notes_are_read_by_the_cases_workers(cast, case, harmed, responsible, client_for):
    meeting = _recorded(cast, case, harmed, responsible)
    for name in ("facilitator", "coordinator", "supervisor"):
        page = client_for(name).get(_detail_url(meeting)).content.decode()
        assert "Ray apologised in his own words." in page


def test_a_facilitator_not_on_the_case_sees_no_meeting_and_no_notes(
    cast, case, harmed, responsible, other_facilitator
):
    meeting = _recorded(cast, case, harmed, responsible)
    assert other_facilitator.get(_detail_url(meeting)).status_code == 404
    listing = other_facilitator.get(reverse("meetings:list", args=[case.reference]))
    assert listing.status_code == 404


def test_an_advocate_sees_only_their_clients_meetings_and_own_times(
    cast, case, harmed, responsible, venue, client_for
):
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast,
        case,
        harmed,
        responsible,
        venue=venue,
        harmed_times=(starts - minutes(15), ends),
        responsible_times=(starts + minutes(20), ends + minutes(15)),
    )
    _recorded(cast, case, harmed, responsible)
    advocate = client_for("advocate")
    own = advocate.get(reverse("meetings:participant", args=[case.reference, harmed.pk]))
    page = own.content.decode()
    assert own.status_code == 200
    assert "13:45" in page
    assert "Northgate Community Centre" in page
    for hidden in (
        "Ray",
        "Responsible",
        "14:20",
        "16:15",
        "apologised",
        "side door",
        "meet.jit.si",
    ):
        assert hidden not in page, hidden
    other = advocate.get(reverse("meetings:participant", args=[case.reference, responsible.pk]))
    assert other.status_code == 404
    assert advocate.get(_detail_url(meeting)).status_code == 404
    assert advocate.get(reverse("meetings:list", args=[case.reference])).status_code == 404


def test_the_list_shows_the_cases_meetings(cast, case, harmed, client_for):
    schedule_preparation(cast, case, harmed)
    page = client_for("facilitator").get(reverse("meetings:list", args=[case.reference]))
    assert page.status_code == 200
    assert "Preparation meeting" in page.content.decode()


def test_a_session_is_recorded_through_its_page(cast, case, harmed, responsible, client_for):
    meeting = schedule_joint(cast, case, harmed, responsible, days=-1, now=at(-9))
    url = reverse("meetings:record", args=[case.reference, meeting.pk])
    client = client_for("facilitator")
    assert client.get(url).status_code == 200
    came = list(meeting.attendees.values_list("pk", flat=True))
    response = client.post(
        url,
        {"took_place": "yes", "attended": came, "outcome": "agreement", "notes": "Went well"},
    )
    assert response.status_code == 302
    assert SessionRecord.objects.get().notes == "Went well"


def test_a_concern_is_passed_on_from_the_meeting_page(cast, case, harmed, responsible, client_for):
    meeting = _recorded(cast, case, harmed, responsible)
    url = reverse("meetings:escalate", args=[case.reference, meeting.pk])
    refused = client_for("facilitator").post(url, {"basis": "", "escalated_to": ""})
    assert refused.status_code == 400
    assert SessionRecord.objects.get().escalated_at is None
    done = client_for("facilitator").post(
        url, {"basis": "safeguarding", "escalated_to": "Children's social care"}
    )
    assert done.status_code == 302
    assert SessionRecord.objects.get().escalation_basis == "safeguarding"


def test_moving_cancelling_and_postponing_from_the_meeting_page(cast, case, harmed, client_for):
    meeting = schedule_preparation(cast, case, harmed)
    client = client_for("facilitator")
    base = [case.reference, meeting.pk]
    bad = client.post(
        reverse("meetings:move", args=base),
        {"day": "2020-01-01", "starts": "10:00", "ends": "11:00"},
    )
    assert bad.status_code == 400
    assert "The meeting must start in the future." in bad.content.decode()
    moved = client.post(
        reverse("meetings:move", args=base), {"day": _day(4), "starts": "09:00", "ends": "10:00"}
    )
    assert moved.status_code == 302
    assert client.post(reverse("meetings:postpone", args=base), {"note": ""}).status_code == 302
    assert (
        client.post(reverse("meetings:cancel", args=base), {"note": "No longer needed"}).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.starts_at, meeting.sequence) == ("cancelled", at(4, 9), 3)


def test_the_list_costs_the_same_queries_however_many_meetings(
    cast, case, harmed, responsible, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("coordinator")
    url = reverse("meetings:list", args=[case.reference])
    schedule_joint(cast, case, harmed, responsible)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for days in (3, 4, 5):
        schedule_joint(cast, case, harmed, responsible, days=days)
        schedule_preparation(cast, case, responsible, days=days)
    assert queries() == few


def test_the_pages_carry_no_inline_style_or_script(cast, case, harmed, responsible, client_for):
    meeting = _recorded(cast, case, harmed, responsible)
    video = schedule_joint(cast, case, harmed, responsible)
    client = client_for("facilitator")
    for url in (
        reverse("meetings:list", args=[case.reference]),
        _schedule_url(case),
        _detail_url(meeting),
        _detail_url(video),
        reverse("meetings:record", args=[case.reference, video.pk]),
        reverse("meetings:participant", args=[case.reference, harmed.pk]),
        reverse("meetings:venues", args=[cast.programme.slug]),
    ):
        page = client.get(url).content.decode()
        assert 'style="' not in page, url
        assert "<script>" not in page, url
