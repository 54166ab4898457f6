"""Evidence about a facilitator (accreditation, endorsements, supervision, observed
practice) is recorded by a coordinator or supervisor of their programme, never by the
facilitator themselves; bad input is refused with a reason and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.accounts.roles import Role
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.models import (
    Accreditation,
    ObservedPractice,
    SupervisionSession,
)
from amends.facilitators.services import (
    accreditation_record,
    endorsement_record,
    observed_practice_record,
    supervision_record,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def accreditation(**changes):
    values = {
        "level": "intermediate",
        "issuer": "RJC",
        "valid_from": today(),
        "valid_to": today() + 700 * DAY,
    }
    return {**values, **changes}


def refused_without_change(call, **kwargs):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    assert domain_snapshot() == before
    return error.value


@pytest.mark.parametrize("recorder", ["coordinator", "supervisor"])
def test_a_coordinator_or_supervisor_records_an_accreditation(cast, roster, recorder):
    nia = roster.facilitator("Nia")
    made = accreditation_record(actor=cast.users[recorder], facilitator=nia, **accreditation())
    assert (made.level, made.recorded_by) == ("intermediate", cast.users[recorder])
    event = AuditEvent.objects.get(action="facilitator.accreditation_recorded")
    assert event.programme_id == cast.programme.pk


def test_the_same_accreditation_recorded_twice_is_kept_once(cast, roster):
    nia = roster.facilitator("Nia")
    first = accreditation_record(actor=cast.coordinator, facilitator=nia, **accreditation())
    again = accreditation_record(actor=cast.supervisor, facilitator=nia, **accreditation())
    assert again == first
    assert Accreditation.objects.filter(facilitator=nia).count() == 1


def test_a_facilitator_cannot_record_their_own_accreditation(cast):
    error = refused_without_change(
        accreditation_record,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        **accreditation(),
    )
    assert isinstance(error, PermissionRefused)
    assert "recorded by a coordinator or supervisor, not by you" in error.message


def test_a_supervisor_who_also_facilitates_cannot_record_their_own_accreditation(cast, roster):
    roster.grant(cast.supervisor, Role.FACILITATOR)
    with pytest.raises(PermissionRefused):
        accreditation_record(actor=cast.supervisor, facilitator=cast.supervisor, **accreditation())
    # ... though they record a colleague's.
    accreditation_record(actor=cast.supervisor, facilitator=cast.facilitator, **accreditation())


@pytest.mark.parametrize(
    "actor", ["other_supervisor", "administrator", "advocate", "evaluator", "platform_admin"]
)
def test_nobody_outside_the_facilitators_programme_management_records_standing(cast, actor):
    error = refused_without_change(
        accreditation_record,
        actor=cast.users[actor],
        facilitator=cast.facilitator,
        **accreditation(),
    )
    assert isinstance(error, PermissionRefused)


def test_standing_is_recorded_only_for_facilitators(cast):
    with pytest.raises(PermissionRefused):
        accreditation_record(actor=cast.coordinator, facilitator=cast.advocate, **accreditation())


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"valid_to": today() - DAY}, "It cannot end before it starts."),
        ({"level": "expert"}, "Choose the level"),
        ({"issuer": " "}, "Give who issued it."),
        ({"issuer": "x" * 201}, "200 characters at most"),
        ({"valid_from": None}, "Give the date it is valid from."),
        ({"valid_to": None}, "Give the date it is valid until."),
    ],
)
def test_a_bad_accreditation_is_refused_with_a_reason(cast, changes, reason):
    error = refused_without_change(
        accreditation_record,
        actor=cast.coordinator,
        facilitator=cast.facilitator,
        **accreditation(**changes),
    )
    assert any(reason in each for each in error.reasons), error.reasons


def test_an_endorsement_may_have_no_end(cast, roster):
    nia = roster.facilitator("Nia")
    record = endorsement_record(
        actor=cast.supervisor, facilitator=nia, endorsement="domestic_abuse", valid_from=today()
    )
    assert record.valid_to is None
    assert AuditEvent.objects.filter(action="facilitator.endorsement_recorded").count() == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"endorsement": "gardening"}, "Choose one of the endorsements offered."),
        ({"valid_to": today() - DAY}, "It cannot end before it starts."),
    ],
)
def test_a_bad_endorsement_is_refused(cast, roster, changes, reason):
    nia = roster.facilitator("Nia")
    values = {"endorsement": "youth", "valid_from": today(), **changes}
    error = refused_without_change(
        endorsement_record, actor=cast.supervisor, facilitator=nia, **values
    )
    assert error.reasons == [reason]


def test_a_facilitator_cannot_record_their_own_endorsement(cast):
    with pytest.raises(PermissionRefused):
        endorsement_record(
            actor=cast.facilitator,
            facilitator=cast.facilitator,
            endorsement="youth",
            valid_from=today(),
        )


def test_a_supervision_session_names_a_supervisor_of_the_programme_or_an_outsider(cast):
    with_user = supervision_record(
        actor=cast.coordinator,
        facilitator=cast.facilitator,
        held_on=today(),
        supervisor=cast.supervisor,
        notes="Talked about a hard case.",
    )
    outsider = supervision_record(
        actor=cast.coordinator,
        facilitator=cast.facilitator,
        held_on=today() - DAY,
        supervisor_name="Dr External",
    )
    assert with_user.supervisor == cast.supervisor
    assert outsider.supervisor_name == "Dr External"
    event = AuditEvent.objects.filter(action="facilitator.supervision_recorded").first()
    assert event is not None
    assert "hard case" not in str(event.data)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"held_on": None}, "Give the date of the supervision session."),
        ({"held_on": "future"}, "Record the supervision session once it has happened."),
        ({"supervisor": None, "supervisor_name": ""}, "Name the supervisor."),
        ({"supervisor": "facilitator"}, "Nobody can be their own supervisor."),
        ({"supervisor": "other_supervisor"}, "does not coordinate or supervise where"),
    ],
)
def test_a_bad_supervision_session_is_refused(cast, changes, reason):
    values = {"held_on": today(), "supervisor": "supervisor", **changes}
    if values["held_on"] == "future":
        values["held_on"] = today() + DAY
    if isinstance(values["supervisor"], str):
        values["supervisor"] = cast.users[values["supervisor"]]
    error = refused_without_change(
        supervision_record, actor=cast.coordinator, facilitator=cast.facilitator, **values
    )
    assert any(reason in each for each in error.reasons), error.reasons


def test_a_facilitator_cannot_record_their_own_supervision(cast):
    with pytest.raises(PermissionRefused):
        supervision_record(
            actor=cast.facilitator,
            facilitator=cast.facilitator,
            held_on=today(),
            supervisor=cast.supervisor,
        )
    assert not SupervisionSession.objects.exists()


def test_observed_practice_is_recorded_by_a_manager(cast):
    observation = observed_practice_record(
        actor=cast.supervisor,
        facilitator=cast.facilitator,
        observed_on=today(),
        observer_name="Peer observer",
    )
    assert observation.observer_name == "Peer observer"
    assert AuditEvent.objects.filter(action="facilitator.observed_practice_recorded").exists()


def test_a_facilitator_cannot_record_their_own_observed_practice(cast):
    with pytest.raises(PermissionRefused):
        observed_practice_record(
            actor=cast.facilitator,
            facilitator=cast.facilitator,
            observed_on=today(),
            observer=cast.supervisor,
        )
    assert not ObservedPractice.objects.exists()


def test_observed_practice_in_the_future_or_without_observer_is_refused(cast):
    error = refused_without_change(
        observed_practice_record,
        actor=cast.supervisor,
        facilitator=cast.facilitator,
        observed_on=today() + DAY,
    )
    assert error.reasons == [
        "Record the observed session once it has happened.",
        "Name the observer.",
    ]
