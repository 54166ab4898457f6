"""The safeguards a joint meeting must meet (G7, G8, G9, G10), refusing and passing,
through the scheduling service: a refusal says why and creates nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from amends.assessments.services import assessment_record
from amends.cases.models import ParticipantRole
from amends.cases.services import GateRefused, participant_add
from amends.cases.tests.builders import make_person, participant, quiet_answers
from amends.consent.services import consent_give, consent_withdraw
from amends.core.errors import ApplicationError
from amends.meetings.models import Meeting
from amends.meetings.services import venue_create
from amends.meetings.tests.helpers import (
    add_email,
    at,
    minutes,
    schedule_joint,
    schedule_preparation,
)
from amends.programmes.selectors import current_information_sheet
from amends.programmes.services import programme_settings_update
from amends.safety.services import safety_plan_save

pytestmark = pytest.mark.django_db


def _refused(call) -> list[str]:
    before = Meeting.objects.count()
    with pytest.raises(GateRefused) as refused:
        call()
    assert Meeting.objects.count() == before
    return refused.value.reasons


# --- G7: staggered times and separate waiting areas in a domestic-abuse case ------------


def _da_parties(da_case):
    return participant(da_case, ParticipantRole.HARMED), participant(
        da_case, ParticipantRole.RESPONSIBLE
    )


@pytest.mark.gate("G7")
def test_a_domestic_abuse_meeting_with_the_parties_arriving_together_is_refused(
    cast, da_case, venue
):
    harmed, responsible = _da_parties(da_case)
    reasons = _refused(
        lambda: schedule_joint(
            cast, da_case, harmed, responsible, venue=venue, separate_waiting_booked=True
        )
    )
    assert any("must arrive at least 15 minutes apart" in reason for reason in reasons)
    assert any("must leave at least 15 minutes apart" in reason for reason in reasons)


@pytest.mark.gate("G7")
def test_a_domestic_abuse_meeting_staggered_by_less_than_the_minimum_is_refused(
    cast, da_case, venue
):
    harmed, responsible = _da_parties(da_case)
    starts, ends = at(5, 14), at(5, 16)
    reasons = _refused(
        lambda: schedule_joint(
            cast,
            da_case,
            harmed,
            responsible,
            venue=venue,
            separate_waiting_booked=True,
            harmed_times=(starts - minutes(10), ends),
            responsible_times=(starts, ends + minutes(10)),
        )
    )
    assert len([reason for reason in reasons if "15 minutes apart" in reason]) == 2


@pytest.mark.gate("G7")
def test_a_domestic_abuse_meeting_without_separate_waiting_areas_booked_is_refused(
    cast, da_case, venue
):
    harmed, responsible = _da_parties(da_case)
    starts, ends = at(5, 14), at(5, 16)
    reasons = _refused(
        lambda: schedule_joint(
            cast,
            da_case,
            harmed,
            responsible,
            venue=venue,
            harmed_times=(starts - minutes(15), ends),
            responsible_times=(starts, ends + minutes(15)),
        )
    )
    assert reasons == ["Book the venue's separate waiting areas for this meeting."]


@pytest.mark.gate("G7")
def test_a_domestic_abuse_meeting_at_a_venue_without_separate_waiting_areas_is_refused(
    cast, da_case
):
    harmed, responsible = _da_parties(da_case)
    hall = venue_create(
        actor=cast.coordinator, programme=cast.programme, name="Small hall", address="1 Lane"
    )
    starts, ends = at(5, 14), at(5, 16)
    reasons = _refused(
        lambda: schedule_joint(
            cast,
            da_case,
            harmed,
            responsible,
            venue=hall,
            separate_waiting_booked=True,
            harmed_times=(starts - minutes(15), ends),
            responsible_times=(starts, ends + minutes(15)),
        )
    )
    assert reasons == ["The venue has no separate waiting areas; choose one that has them."]


@pytest.mark.gate("G7")
def test_a_domestic_abuse_meeting_staggered_by_the_minimum_with_waiting_areas_booked_is_scheduled(
    cast, da_case, venue
):
    harmed, responsible = _da_parties(da_case)
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast,
        da_case,
        harmed,
        responsible,
        venue=venue,
        separate_waiting_booked=True,
        harmed_times=(starts - minutes(15), ends),
        responsible_times=(starts, ends + minutes(15)),
    )
    times = {a.participant_id: (a.arrives_at, a.leaves_at) for a in meeting.attendees.all()}
    assert times[harmed.pk] == (starts - minutes(15), ends)
    assert times[responsible.pk] == (starts, ends + minutes(15))
    assert meeting.separate_waiting_booked


@pytest.mark.gate("G7")
def test_the_programme_sets_the_minimum_gap(cast, da_case, venue):
    programme_settings_update(
        actor=cast.administrator, programme=cast.programme, meeting_stagger_minutes=30
    )
    harmed, responsible = _da_parties(da_case)
    starts, ends = at(5, 14), at(5, 16)
    reasons = _refused(
        lambda: schedule_joint(
            cast,
            da_case,
            harmed,
            responsible,
            venue=venue,
            separate_waiting_booked=True,
            harmed_times=(starts - minutes(15), ends),
            responsible_times=(starts, ends + minutes(15)),
        )
    )
    assert any("30 minutes apart" in reason for reason in reasons)


@pytest.mark.gate("G7")
def test_a_video_meeting_in_a_domestic_abuse_case_must_still_stagger_joining_and_leaving(
    cast, da_case
):
    harmed, responsible = _da_parties(da_case)
    reasons = _refused(lambda: schedule_joint(cast, da_case, harmed, responsible))
    assert any("must arrive at least 15 minutes apart" in reason for reason in reasons)
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast,
        da_case,
        harmed,
        responsible,
        harmed_times=(starts - minutes(15), ends),
        responsible_times=(starts, ends + minutes(15)),
    )
    assert meeting.modality == "video"


@pytest.mark.gate("G7")
def test_outside_domestic_abuse_the_parties_may_arrive_together(
    cast, case, harmed, responsible, venue
):
    meeting = schedule_joint(cast, case, harmed, responsible, venue=venue)
    assert meeting.attendees.count() == 3


@pytest.mark.gate("G7")
def test_a_meeting_the_safety_plan_does_not_cover_is_refused(cast, da_case, venue):
    safety_plan_save(actor=cast.facilitator, case=da_case, measures=["exit_plan"])
    da_case.refresh_from_db()
    # A thinner plan steps the case back; a preparation meeting is still possible.
    assert da_case.stage == "preparation"
    harmed, responsible = _da_parties(da_case)
    schedule_preparation(cast, da_case, harmed)


# --- G8: a direct meeting only where every party's assessment permits it ----------------


@pytest.fixture
def indirect_case(cast):
    """A letters case at `ready` whose person harmed may have only indirect contact."""
    from amends.cases.tests.builders import build_case, drive_to_ready

    built = build_case(cast.programme, coordinator=cast.coordinator)
    ready = drive_to_ready(
        built,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type="letters",
    )
    safety_plan_save(actor=cast.facilitator, case=ready, measures=["exit_plan"])
    answers = {**quiet_answers(cast.programme), "power_imbalance": 2}
    assessment_record(
        actor=cast.facilitator,
        participant=participant(ready, ParticipantRole.HARMED),
        answers=answers,
        assessed_on=timezone.localdate(),
    )
    ready.refresh_from_db()
    assert ready.stage == "ready"
    return ready


@pytest.mark.gate("G8")
def test_the_parties_cannot_meet_when_an_assessment_permits_only_indirect_contact(
    cast, indirect_case
):
    harmed = participant(indirect_case, ParticipantRole.HARMED)
    responsible = participant(indirect_case, ParticipantRole.RESPONSIBLE)
    reasons = _refused(
        lambda: schedule_joint(cast, indirect_case, harmed, responsible, kind="review")
    )
    assert reasons == [
        "Hana H. (person harmed)'s assessment permits only indirect forms, not meeting the "
        "other party."
    ]


@pytest.mark.gate("G8")
def test_the_parties_may_meet_when_both_assessments_permit_direct_contact(
    cast, case, harmed, responsible
):
    meeting = schedule_joint(cast, case, harmed, responsible, kind="review")
    assert meeting.kind == "review"


@pytest.mark.gate("G8")
def test_a_person_limited_to_indirect_contact_can_still_be_prepared_alone(cast, indirect_case):
    harmed = participant(indirect_case, ParticipantRole.HARMED)
    meeting = schedule_preparation(cast, indirect_case, harmed)
    assert meeting.kind == "preparation"


@pytest.mark.gate("G8")
def test_a_meeting_of_a_process_the_programme_does_not_offer_is_refused(
    cast, case, harmed, responsible
):
    programme_settings_update(
        actor=cast.administrator, programme=cast.programme, process_types=["meeting", "letters"]
    )
    reasons = _refused(lambda: schedule_joint(cast, case, harmed, responsible, kind="conference"))
    assert "The programme does not offer the Conference." in reasons


# --- G9: nobody attending has withdrawn ------------------------------------------------


@pytest.fixture
def supporter(cast, case):
    """A supporter of the case who consented to the victim–offender meeting."""
    person = make_person("Sam", "Support", phone="+44 7700 900789")
    added = participant_add(actor=None, case=case, person=person, role=ParticipantRole.SUPPORTER)
    consent_give(
        actor=cast.facilitator,
        participant=added,
        scope="take_part",
        process_type="meeting",
        sheet=current_information_sheet(cast.programme, "en"),
        method="verbal",
        witness="A colleague",
    )
    return added


@pytest.mark.gate("G9")
def test_nobody_who_withdrew_is_met_even_in_preparation(cast, case, supporter, harmed):
    consent_withdraw(
        actor=cast.facilitator, participant=supporter, scope="take_part", process_type="meeting"
    )
    case.refresh_from_db()
    reasons = _refused(lambda: schedule_preparation(cast, case, supporter))
    assert any("Sam S. (supporter) withdrew consent" in reason for reason in reasons)
    # The others can still be prepared.
    assert schedule_preparation(cast, case, harmed).kind == "preparation"


@pytest.mark.gate("G9")
def test_no_meeting_is_scheduled_while_the_case_is_paused_after_a_withdrawal(
    cast, case, harmed, responsible
):
    consent_withdraw(
        actor=cast.advocate, participant=harmed, scope="take_part", process_type="meeting"
    )
    case.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        schedule_joint(cast, case, harmed, responsible)
    assert "The case is paused: no meeting can be scheduled until it resumes." in (
        refused.value.reasons
    )
    assert not Meeting.objects.exists()


# --- G10: invitations only on safe channels ---------------------------------------------


@pytest.mark.gate("G10")
def test_a_participant_is_never_invited_on_an_unsafe_e_mail_address(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    responsible.person.channels.filter(kind="email").delete()
    add_email(responsible, "shared.family@example.net", safe=False)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_joint(cast, case, harmed, responsible)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["facilitator@example.org", "hana.harmed@example.net"]


@pytest.mark.gate("G10")
def test_a_participant_is_not_invited_on_an_address_they_asked_not_to_be_contacted_on(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    channel = harmed.person.channels.get(kind="email")
    consent_withdraw(actor=cast.facilitator, participant=harmed, scope="contact", channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_joint(cast, case, harmed, responsible)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["facilitator@example.org", "ray.responsible@example.net"]


@pytest.mark.gate("G10")
def test_each_party_with_a_safe_address_gets_their_own_invitation(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_joint(cast, case, harmed, responsible)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "facilitator@example.org",
        "hana.harmed@example.net",
        "ray.responsible@example.net",
    ]
    assert all(len(message.to) == 1 and not message.cc for message in mail.outbox)
