"""The matching snapshots read from the database, and the promise to G6: everyone
matching suggests is someone the assignment service accepts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.accounts.roles import Role
from amends.cases.models import Case, ContactLog, FacilitatorAssignment, ParticipantRole
from amends.cases.services import case_assign_facilitator, participant_add
from amends.cases.tests.builders import (
    accept_referral,
    build_case,
    make_person,
    move,
    participant,
)
from amends.facilitators.matching import rank
from amends.facilitators.matching_selectors import (
    batch_cases,
    case_need_for,
    roster_for,
    roster_users_by_id,
)
from amends.facilitators.models import (
    AwayPeriod,
    ConflictDeclaration,
    ConflictKind,
    FacilitatorProfile,
)
from amends.people.models import Person
from amends.programmes.defaults import DOMESTIC_ABUSE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = datetime.date(2000, 1, 1)
FAR_AHEAD = datetime.date(2099, 12, 31)


def accredited(roster, name: str, *endorsements: str, **profile):
    user = roster.facilitator(name)
    roster.accreditation(user, LONG_AGO, FAR_AHEAD)
    for code in endorsements:
        roster.endorsement(user, code)
    if profile:
        FacilitatorProfile.objects.create(user=user, **profile)
    return user


def to_contact(case: Case, cast) -> Case:
    case = move(case, "screening", cast.coordinator)
    accept_referral(case, cast.coordinator)
    return move(case, "contact", cast.coordinator)


def contact_case(cast) -> Case:
    return to_contact(build_case(cast.programme), cast)


def snapshot(roster_list, user):
    return next(c for c in roster_list if c.id == user.pk)


def test_the_roster_is_the_programme_s_active_facilitators(cast, roster):
    # given one of each kind
    kept = accredited(roster, "Kept")
    gone = accredited(roster, "Gone")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    roster.facilitator("Elsewhere", programme=cast.other_programme)
    roster.facilitator("Coordinator only", role=Role.COORDINATOR)
    # when
    ids = {c.id for c in roster_for(cast.programme)}
    # then the cast's facilitator and Kept only
    assert ids == {cast.facilitator.pk, kept.pk}


def test_a_snapshot_holds_what_matching_needs_from_the_profile_and_records(cast, roster):
    # given
    user = accredited(
        roster,
        "Full",
        "domestic_abuse",
        gender="woman",
        languages=["pl", "en-GB"],
        regions=["North"],
        cultural_competencies=["Polish"],
        capacity=3,
    )
    person = make_person("Known")
    ConflictDeclaration.objects.create(facilitator=user, person=person, declared_by=user)
    ConflictDeclaration.objects.create(
        facilitator=user, kind=ConflictKind.PLACE, name=" South  Bank", declared_by=user
    )
    ConflictDeclaration.objects.create(
        facilitator=user, kind=ConflictKind.ORGANISATION, name="Youth Team", declared_by=user
    )
    back = TODAY + datetime.timedelta(days=9)
    AwayPeriod.objects.create(facilitator=user, starts_on=TODAY, ends_on=back)
    for stage_case in (contact_case(cast), contact_case(cast)):
        FacilitatorAssignment.objects.create(case=stage_case, facilitator=user)
    Case.objects.filter(assignments__facilitator=user).update(process_type="letters")
    # when
    candidate = snapshot(roster_for(cast.programme), user)
    # then
    assert candidate.accredited
    assert candidate.endorsements == {"domestic_abuse"}
    assert candidate.languages == {"pl", "en"}
    assert candidate.gender == "woman"
    assert candidate.regions == {"North"}
    assert candidate.cultural_competencies == {"Polish"}
    assert (candidate.capacity, candidate.active_load) == (3, 2)
    assert candidate.process_experience == {"letters": 2}
    assert candidate.conflict_person_ids == {person.pk}
    assert candidate.conflict_places == {"south bank"}
    assert candidate.conflict_organisations == {"youth team"}
    assert candidate.away_until == back


def test_lapsed_records_do_not_count_and_closed_cases_are_not_load(cast, roster):
    # given an accreditation that ran out yesterday and an endorsement that ends today
    user = roster.facilitator("Lapsed")
    roster.accreditation(user, LONG_AGO, TODAY - datetime.timedelta(days=1))
    roster.endorsement(user, "youth", valid_to=TODAY)
    roster.endorsement(user, "sexual_harm", valid_to=TODAY - datetime.timedelta(days=1))
    closed = contact_case(cast)
    FacilitatorAssignment.objects.create(case=closed, facilitator=user)
    Case.objects.filter(pk=closed.pk).update(stage="closed", closure_reason="no_contact")
    # when
    candidate = snapshot(roster_for(cast.programme), user)
    # then
    assert not candidate.accredited
    assert candidate.endorsements == {"youth"}
    assert candidate.active_load == 0


def test_without_a_profile_a_facilitator_speaks_the_programme_language_with_default_capacity(
    cast,
):
    candidate = snapshot(roster_for(cast.programme), cast.facilitator)
    assert candidate.languages == {"en"}
    assert candidate.capacity == 6
    assert candidate.gender == ""


def test_a_case_need_is_read_from_its_offences_participants_and_contacts(cast, roster):
    # given a domestic-abuse case with a Polish-speaking person harmed who asked for a woman,
    # an interpreter, a supporter who asked for nothing, and an earlier contact
    case = build_case(
        cast.programme,
        categories=(DOMESTIC_ABUSE,),
        harmed=make_person("Ola", language="pl"),
    )
    Case.objects.filter(pk=case.pk).update(region="North", process_type="letters")
    harmed = participant(case, ParticipantRole.HARMED)
    type(harmed).objects.filter(pk=harmed.pk).update(preferred_facilitator_gender="woman")
    interpreter = make_person("Ivo")
    participant_add(actor=None, case=case, person=interpreter, role=ParticipantRole.INTERPRETER)
    ContactLog.objects.create(
        participant=harmed,
        method="phone",
        outcome="reached",
        occurred_at=timezone.now(),
        recorded_by=cast.facilitator,
    )
    # when
    need = case_need_for(Case.objects.get(pk=case.pk))
    # then
    assert need.required_endorsements == {"domestic_abuse"}
    assert need.languages == {"pl", "en"}
    assert need.interpreter_booked
    assert need.requested_genders == {"woman"}
    assert need.person_ids == set(
        Person.objects.filter(participations__case=case).values_list("pk", flat=True)
    )
    assert (need.region, need.referring_agency, need.process_type) == (
        "North",
        "Northshire Police",
        "letters",
    )
    assert need.is_sensitive
    assert need.contact_facilitator_ids == {cast.facilitator.pk}
    assert need.assigned_facilitator_ids == set()


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def test_loading_the_roster_and_a_case_takes_the_same_queries_for_2_or_12_facilitators(
    cast, roster
):
    # given a case and a small roster with records of every kind
    case = contact_case(cast)

    def grow(count: int) -> None:
        for _ in range(count):
            user = accredited(roster, "", "youth", languages=["en"], capacity=4)
            ConflictDeclaration.objects.create(
                facilitator=user, kind=ConflictKind.PLACE, name="Somewhere", declared_by=user
            )
            AwayPeriod.objects.create(facilitator=user, starts_on=TODAY, ends_on=TODAY)
            FacilitatorAssignment.objects.create(case=contact_case(cast), facilitator=user)

    def load() -> None:
        rank(case_need_for(case), roster_for(case.programme))

    grow(1)
    small = _queries(load)
    # when the roster grows sixfold
    grow(10)
    large = _queries(load)
    # then
    assert small == large


def test_the_batch_takes_open_cases_waiting_for_a_facilitator_in_contact_to_preparation(cast):
    waiting = contact_case(cast)
    referred = build_case(cast.programme)
    assigned = cast.case  # in contact, with the cast's facilitator
    closed = contact_case(cast)
    Case.objects.filter(pk=closed.pk).update(stage="closed", closure_reason="no_contact")
    elsewhere = build_case(cast.other_programme)
    references = {case.reference for case in batch_cases(cast.programme)}
    assert waiting.reference in references
    assert not references & {
        referred.reference,
        assigned.reference,
        closed.reference,
        elsewhere.reference,
    }


def test_only_the_roster_is_found_by_id(cast, roster):
    found = roster_users_by_id(cast.programme, [cast.facilitator.pk, cast.coordinator.pk])
    assert set(found) == {cast.facilitator.pk}


# --- matching and G6 agree ---------------------------------------------------------------


def _mixed_roster(cast, roster, case: Case) -> None:
    """Facilitators that pass or fail each hard constraint one at a time."""
    harmed = participant(case, ParticipantRole.HARMED)
    accredited(roster, "Fine", "domestic_abuse", gender="woman", languages=["en", "pl"])
    accredited(roster, "No endorsement", gender="woman", languages=["en", "pl"])
    lapsed = roster.facilitator("Lapsed")
    roster.accreditation(lapsed, LONG_AGO, TODAY - datetime.timedelta(days=1))
    roster.endorsement(lapsed, "domestic_abuse")
    FacilitatorProfile.objects.create(user=lapsed, gender="woman", languages=["pl"])
    accredited(roster, "No Polish", "domestic_abuse", gender="woman", languages=["en"])
    accredited(roster, "A man", "domestic_abuse", gender="man", languages=["pl"])
    full = accredited(
        roster, "Full", "domestic_abuse", gender="woman", languages=["pl"], capacity=1
    )
    FacilitatorAssignment.objects.create(case=contact_case(cast), facilitator=full)
    for kind, name, person in (
        (ConflictKind.PERSON, "", harmed.person),
        (ConflictKind.PLACE, "NORTH", None),
        (ConflictKind.ORGANISATION, "northshire police", None),
    ):
        user = accredited(
            roster, f"Conflict {kind}", "domestic_abuse", gender="woman", languages=["pl"]
        )
        ConflictDeclaration.objects.create(
            facilitator=user, kind=kind, name=name, person=person, declared_by=user
        )


def test_everyone_suggested_can_be_assigned_through_the_service(cast, roster):
    # given a domestic-abuse case whose person harmed speaks Polish and asked for a woman
    case = build_case(
        cast.programme, categories=(DOMESTIC_ABUSE,), harmed=make_person("Ola", language="pl")
    )
    case = to_contact(case, cast)
    Case.objects.filter(pk=case.pk).update(region="North")
    harmed = participant(case, ParticipantRole.HARMED)
    type(harmed).objects.filter(pk=harmed.pk).update(preferred_facilitator_gender="woman")
    _mixed_roster(cast, roster, case)
    case = Case.objects.get(pk=case.pk)
    # when
    suggestions = rank(case_need_for(case), roster_for(case.programme))
    # then only "Fine" is suggested (the cast's facilitator speaks no Polish and has no
    # gender on record), and the service accepts them
    assert [s.candidate.name for s in suggestions if s.eligible] == ["Fine"]
    users = roster_users_by_id(case.programme, [s.candidate.id for s in suggestions])
    for suggestion in suggestions:
        if not suggestion.eligible:
            continue
        with transaction.atomic():
            case_assign_facilitator(
                actor=cast.coordinator, case=case, facilitator=users[suggestion.candidate.id]
            )
            transaction.set_rollback(True)
