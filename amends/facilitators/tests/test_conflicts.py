"""Declared conflicts of interest with a person, a place or an organisation (G6)."""

from __future__ import annotations

import pytest

from amends.audit.models import AuditEvent
from amends.cases.models import Case, ParticipantRole
from amends.cases.tests.builders import build_case, drive_to_ready, participant
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.models import ConflictDeclaration, ConflictKind
from amends.facilitators.services import conflict_declare

pytestmark = pytest.mark.django_db


def test_a_facilitator_declares_a_conflict_with_a_place(cast):
    declared = conflict_declare(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        kind=ConflictKind.PLACE,
        name="  Eastbank   North ",
        description="I live there.",
    )
    assert (declared.kind, declared.name, declared.person) == ("place", "Eastbank North", None)
    event = AuditEvent.objects.get(action="conflict.declared")
    assert event.data == {"facilitator": cast.facilitator.pk, "kind": "place", "person": None}


def test_the_same_place_declared_again_in_other_letters_is_kept_once(cast):
    first = conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, kind="organisation", name="Acme Ltd"
    )
    again = conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, kind="organisation", name="ACME LTD"
    )
    assert again == first
    assert ConflictDeclaration.objects.count() == 1


def test_a_place_and_an_organisation_of_the_same_name_are_two_conflicts(cast):
    conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, kind="organisation", name="Eastbank"
    )
    conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, kind="place", name="Eastbank"
    )
    assert ConflictDeclaration.objects.count() == 2


@pytest.mark.parametrize(
    ("kind", "name", "reason"),
    [
        ("place", "  ", "Give the place."),
        ("organisation", "", "Give the organisation."),
        ("person", "", "Say who the conflict is with."),
        ("planet", "Mars", "Say whether the conflict is with a person"),
    ],
)
def test_a_conflict_without_what_it_is_with_is_refused(cast, kind, name, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as error:
        conflict_declare(actor=cast.facilitator, facilitator=cast.facilitator, kind=kind, name=name)
    assert any(reason in each for each in error.value.reasons)
    assert domain_snapshot() == before


def test_a_coordinator_may_record_a_conflict_for_their_facilitator(cast):
    declared = conflict_declare(
        actor=cast.coordinator, facilitator=cast.facilitator, kind="place", name="Eastbank"
    )
    assert declared.declared_by == cast.coordinator


@pytest.mark.parametrize("actor", ["other_supervisor", "advocate", "no_role"])
def test_nobody_else_declares_a_conflict_for_a_facilitator(cast, actor):
    with pytest.raises(PermissionRefused):
        conflict_declare(
            actor=cast.users[actor], facilitator=cast.facilitator, kind="place", name="Eastbank"
        )
    assert not ConflictDeclaration.objects.exists()


def test_only_facilitators_declare_conflicts(cast):
    with pytest.raises(PermissionRefused, match="Only facilitators"):
        conflict_declare(
            actor=cast.coordinator, facilitator=cast.coordinator, kind="place", name="Eastbank"
        )


@pytest.mark.gate("G6")
def test_an_organisation_conflict_steps_a_ready_case_back(cast):
    # given: a ready case referred by Northshire Police, facilitated by the cast facilitator
    case = build_case(cast.programme, coordinator=cast.coordinator)
    case = drive_to_ready(
        case, coordinator=cast.coordinator, supervisor=cast.supervisor, facilitator=cast.facilitator
    )
    assert case.stage == "ready"
    # when
    conflict_declare(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        kind="organisation",
        name="NORTHSHIRE POLICE",
    )
    # then: preparation needs a competent facilitator too, so back to assessment
    case.refresh_from_db()
    assert case.stage == "assessment"


@pytest.mark.gate("G6")
def test_a_place_conflict_leaves_cases_elsewhere_alone(cast):
    case = build_case(cast.programme, coordinator=cast.coordinator)
    case = drive_to_ready(
        case, coordinator=cast.coordinator, supervisor=cast.supervisor, facilitator=cast.facilitator
    )
    Case.objects.filter(pk=case.pk).update(region="Westfield")
    conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, kind="place", name="Eastbank"
    )
    case.refresh_from_db()
    assert case.stage == "ready"


def test_a_person_conflict_is_still_declared_from_a_case(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    declared = conflict_declare(
        actor=cast.facilitator, facilitator=cast.facilitator, person=harmed.person
    )
    assert (declared.kind, declared.person, declared.name) == ("person", harmed.person, "")
