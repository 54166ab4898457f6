"""What a facilitator keeps up to date themselves: details, training, week, periods away.
Only they may; bad input is refused with a clear reason and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.models import AvailabilitySlot, AwayPeriod, FacilitatorProfile
from amends.facilitators.services import (
    availability_add,
    availability_remove,
    away_add,
    away_remove,
    profile_update,
    training_add,
)

pytestmark = pytest.mark.django_db

T = datetime.time


def today() -> datetime.date:
    return timezone.localdate()


def details(**changes):
    values = {
        "gender": "woman",
        "languages": ["EN", "pl", "en"],
        "cultural_competencies": ["Polish community", "polish community ", ""],
        "regions": ["Eastbank"],
        "capacity": 5,
    }
    return {**values, **changes}


def refused_without_change(call, **kwargs):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as error:
        call(**kwargs)
    assert domain_snapshot() == before
    return error.value


# --- details ---------------------------------------------------------------------------


def test_a_facilitator_sets_their_details_and_the_lists_are_tidied(cast):
    profile = profile_update(actor=cast.facilitator, facilitator=cast.facilitator, **details())
    assert (profile.gender, profile.languages, profile.capacity) == ("woman", ["en", "pl"], 5)
    assert profile.cultural_competencies == ["Polish community"]
    event = AuditEvent.objects.get(action="facilitator.profile_updated")
    assert event.data["created"] is True
    assert "woman" not in str(event.data)


def test_saving_the_same_details_again_changes_nothing(cast):
    profile_update(actor=cast.facilitator, facilitator=cast.facilitator, **details())
    before = domain_snapshot()
    profile_update(actor=cast.facilitator, facilitator=cast.facilitator, **details())
    assert domain_snapshot() == before


def test_a_change_records_which_details_changed(cast):
    profile_update(actor=cast.facilitator, facilitator=cast.facilitator, **details())
    profile_update(actor=cast.facilitator, facilitator=cast.facilitator, **details(capacity=2))
    assert FacilitatorProfile.objects.get(user=cast.facilitator).capacity == 2
    latest = AuditEvent.objects.filter(action="facilitator.profile_updated").latest("pk")
    assert latest.data["changed"] == ["capacity"]


@pytest.mark.parametrize("actor", ["coordinator", "supervisor", "other_supervisor", "no_role"])
def test_nobody_else_edits_a_facilitators_details(cast, actor):
    with pytest.raises(PermissionRefused):
        profile_update(actor=cast.users[actor], facilitator=cast.facilitator, **details())
    assert not FacilitatorProfile.objects.exists()


def test_someone_who_facilitates_nowhere_has_no_profile_to_edit(cast):
    with pytest.raises(PermissionRefused):
        profile_update(actor=cast.coordinator, facilitator=cast.coordinator, **details())


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"languages": ["english"]}, "“english” is not a language code"),
        ({"languages": ["e1"]}, "“e1” is not a language code"),
        ({"gender": "robot"}, "Choose one of the genders offered"),
        ({"capacity": -1}, "from 0 to 100"),
        ({"capacity": 101}, "from 0 to 100"),
        ({"regions": ["x" * 81]}, "each entry has 80 characters at most"),
        ({"regions": [f"Region {n}" for n in range(31)]}, "at most 30 entries"),
    ],
)
def test_bad_details_are_refused_with_a_reason(cast, changes, reason):
    error = refused_without_change(
        profile_update, actor=cast.facilitator, facilitator=cast.facilitator, **details(**changes)
    )
    assert any(reason in each for each in error.reasons), error.reasons


# --- training ----------------------------------------------------------------------------


def training(**changes):
    values = {
        "course": "Working with young people",
        "provider": "RJC",
        "completed_on": today(),
        "hours": Decimal("3.5"),
    }
    return {**values, **changes}


def test_a_facilitator_records_their_training(cast):
    record = training_add(actor=cast.facilitator, facilitator=cast.facilitator, **training())
    assert (record.hours, record.counts_as_cpd, record.recorded_by) == (
        Decimal("3.5"),
        True,
        cast.facilitator,
    )
    assert AuditEvent.objects.filter(action="facilitator.training_recorded").count() == 1


@pytest.mark.parametrize("actor", ["coordinator", "supervisor", "other_supervisor"])
def test_nobody_else_records_a_facilitators_training(cast, actor):
    with pytest.raises(PermissionRefused):
        training_add(actor=cast.users[actor], facilitator=cast.facilitator, **training())


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"hours": Decimal(0)}, "more than 0"),
        ({"hours": Decimal("-2")}, "more than 0"),
        ({"hours": Decimal("500.01")}, "at most 500"),
        ({"hours": Decimal("1.555")}, "such as 1.5"),
        ({"hours": "lots"}, "more than 0"),
        ({"course": "  "}, "Give the course."),
        ({"provider": ""}, "Give who provided it."),
        ({"completed_on": None}, "Give the date of the training."),
    ],
)
def test_bad_training_is_refused_with_a_reason(cast, changes, reason):
    error = refused_without_change(
        training_add, actor=cast.facilitator, facilitator=cast.facilitator, **training(**changes)
    )
    assert any(reason in each for each in error.reasons), error.reasons


def test_training_in_the_future_is_refused(cast):
    error = refused_without_change(
        training_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        **training(completed_on=today() + datetime.timedelta(days=1)),
    )
    assert error.reasons == ["Record training once it is done: the date is in the future."]


# --- the usual week and periods away ---------------------------------------------------


def test_a_facilitator_adds_and_removes_a_time_in_their_week(cast):
    slot = availability_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=0,
        starts_at=T(9),
        ends_at=T(12),
    )
    availability_remove(actor=cast.facilitator, slot=slot)
    assert not AvailabilitySlot.objects.exists()
    assert AuditEvent.objects.filter(action="facilitator.availability_removed").count() == 1


def test_a_time_that_ends_before_it_starts_is_refused(cast):
    error = refused_without_change(
        availability_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=0,
        starts_at=T(12),
        ends_at=T(9),
    )
    assert error.reasons == ["The end must be after the start."]


def test_a_time_that_overlaps_one_already_given_is_refused(cast):
    availability_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=2,
        starts_at=T(9),
        ends_at=T(12),
    )
    error = refused_without_change(
        availability_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=2,
        starts_at=T(11),
        ends_at=T(14),
    )
    assert error.reasons == ["It overlaps Wednesday 09:00–12:00, which you already have."]
    # Back to back, or another day, is fine.
    availability_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=2,
        starts_at=T(12),
        ends_at=T(14),
    )
    availability_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=3,
        starts_at=T(9),
        ends_at=T(12),
    )


def test_an_unknown_day_is_refused(cast):
    error = refused_without_change(
        availability_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=7,
        starts_at=T(9),
        ends_at=T(12),
    )
    assert error.reasons == ["Choose a day of the week."]


def test_nobody_else_changes_a_facilitators_week(cast):
    slot = availability_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        weekday=0,
        starts_at=T(9),
        ends_at=T(12),
    )
    with pytest.raises(PermissionRefused):
        availability_add(
            actor=cast.coordinator,
            facilitator=cast.facilitator,
            weekday=1,
            starts_at=T(9),
            ends_at=T(12),
        )
    with pytest.raises(PermissionRefused):
        availability_remove(actor=cast.coordinator, slot=slot)
    assert AvailabilitySlot.objects.count() == 1


def test_a_facilitator_adds_and_withdraws_a_period_away(cast):
    period = away_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        starts_on=today(),
        ends_on=today() + datetime.timedelta(days=6),
    )
    away_remove(actor=cast.facilitator, period=period)
    assert not AwayPeriod.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (5, 4, "The last day cannot be before the first."),
        (-10, -1, "That period is over already."),
    ],
)
def test_bad_periods_away_are_refused(cast, start, end, reason):
    error = refused_without_change(
        away_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        starts_on=today() + datetime.timedelta(days=start),
        ends_on=today() + datetime.timedelta(days=end),
    )
    assert error.reasons == [reason]


def test_a_period_away_that_overlaps_another_is_refused(cast):
    away_add(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        starts_on=today() + datetime.timedelta(days=10),
        ends_on=today() + datetime.timedelta(days=20),
    )
    error = refused_without_change(
        away_add,
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        starts_on=today() + datetime.timedelta(days=20),
        ends_on=today() + datetime.timedelta(days=25),
    )
    assert "It overlaps your period away" in error.reasons[0]


def test_nobody_else_changes_a_facilitators_periods_away(cast):
    period = away_add(
        actor=cast.facilitator, facilitator=cast.facilitator, starts_on=today(), ends_on=today()
    )
    with pytest.raises(PermissionRefused):
        away_remove(actor=cast.supervisor, period=period)
    with pytest.raises(PermissionRefused):
        away_add(
            actor=cast.supervisor, facilitator=cast.facilitator, starts_on=today(), ends_on=today()
        )
    assert AwayPeriod.objects.count() == 1
