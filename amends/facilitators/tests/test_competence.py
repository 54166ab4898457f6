"""G6 Competence: each cause refuses an assignment and passes once it is put right; the
warnings never block; the case's checklist and the assignment service agree."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.accounts.roles import Role
from amends.cases.gates import g6_competence
from amends.cases.models import Case, FacilitatorAssignment, ParticipantRole
from amends.cases.selectors import case_facts
from amends.cases.services import GateRefused, case_assign_facilitator
from amends.cases.tests.builders import build_case, participant
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.competence import facilitator_checks
from amends.facilitators.models import ConflictDeclaration, ConflictKind
from amends.programmes.models import Endorsement

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G6")]

YEAR = datetime.timedelta(days=365)


def today() -> datetime.date:
    return timezone.localdate()


def accredited(roster, name="Nia"):
    user = roster.facilitator(name)
    roster.accreditation(user, today() - YEAR, today() + YEAR)
    return user


def refused(case, facilitator, actor):
    before = domain_snapshot()
    with pytest.raises(GateRefused) as error:
        case_assign_facilitator(actor=actor, case=case, facilitator=facilitator)
    assert domain_snapshot() == before
    return error.value.reasons


def assigned(case, facilitator, actor):
    case_assign_facilitator(actor=actor, case=case, facilitator=facilitator)
    return FacilitatorAssignment.objects.filter(case=case, facilitator=facilitator).exists()


def test_an_accredited_facilitator_of_the_programme_is_assigned(cast, roster):
    case = build_case(cast.programme)
    assert assigned(case, accredited(roster), cast.coordinator)


def test_someone_who_facilitates_only_elsewhere_is_refused(cast, roster):
    case = build_case(cast.programme)
    elsewhere = roster.facilitator("Omar", programme=cast.other_programme)
    roster.accreditation(elsewhere, today() - YEAR, today() + YEAR)
    assert refused(case, elsewhere, cast.coordinator) == [
        "Omar is no longer a facilitator of this programme."
    ]
    roster.grant(elsewhere, Role.FACILITATOR)
    assert assigned(case, elsewhere, cast.coordinator)


def test_a_facilitator_without_any_accreditation_is_refused(cast, roster):
    case = build_case(cast.programme)
    nia = roster.facilitator("Nia")
    assert refused(case, nia, cast.coordinator) == ["Nia holds no valid accreditation."]
    roster.accreditation(nia, today(), today())
    assert assigned(case, nia, cast.coordinator)


def test_a_facilitator_whose_accreditation_ran_out_is_refused_until_it_is_renewed(cast, roster):
    case = build_case(cast.programme)
    nia = roster.facilitator("Nia")
    yesterday = today() - datetime.timedelta(days=1)
    roster.accreditation(nia, today() - YEAR, yesterday)
    assert refused(case, nia, cast.coordinator) == [
        f"The accreditation of Nia ran out on {yesterday.isoformat()}."
    ]
    roster.accreditation(nia, today(), today() + YEAR)
    assert assigned(case, nia, cast.coordinator)


def test_a_sensitive_category_needs_its_endorsement(cast, roster):
    case = build_case(cast.programme, categories=("domestic-abuse",))
    nia = accredited(roster)
    assert refused(case, nia, cast.coordinator) == [
        "Nia does not hold the Domestic abuse endorsement this case needs."
    ]
    roster.endorsement(nia, Endorsement.DOMESTIC_ABUSE, valid_from=today())
    assert assigned(case, nia, cast.coordinator)


def test_an_endorsement_that_ran_out_does_not_count(cast, roster):
    case = build_case(cast.programme, categories=("sexual-harm", "property"))
    nia = accredited(roster)
    roster.endorsement(
        nia,
        Endorsement.SEXUAL_HARM,
        valid_from=today() - YEAR,
        valid_to=today() - datetime.timedelta(days=1),
    )
    assert refused(case, nia, cast.coordinator) == [
        "Nia does not hold the Sexual harm endorsement this case needs."
    ]


def test_every_missing_endorsement_is_named(cast, roster):
    case = build_case(cast.programme, categories=("trafficking", "hate-crime"))
    nia = accredited(roster)
    roster.endorsement(nia, Endorsement.YOUTH)
    assert refused(case, nia, cast.coordinator) == [
        "Nia does not hold the Hate crime endorsement this case needs.",
        "Nia does not hold the Human trafficking endorsement this case needs.",
    ]


def test_a_conflict_with_a_person_in_the_case_is_refused(cast, roster):
    case = build_case(cast.programme)
    nia = accredited(roster)
    harmed = participant(case, ParticipantRole.HARMED)
    ConflictDeclaration.objects.create(facilitator=nia, person=harmed.person, declared_by=nia)
    (reason,) = refused(case, nia, cast.coordinator)
    assert reason.startswith("Nia has declared a conflict of interest with Hana H.")
    other_case = build_case(cast.programme)
    assert assigned(other_case, nia, cast.coordinator)


def test_a_conflict_with_the_place_of_the_case_is_refused_whatever_the_case(cast, roster):
    case = build_case(cast.programme)
    Case.objects.filter(pk=case.pk).update(region="Eastbank ")
    case.refresh_from_db()
    nia = accredited(roster)
    ConflictDeclaration.objects.create(
        facilitator=nia, kind=ConflictKind.PLACE, name="EASTBANK", declared_by=nia
    )
    assert refused(case, nia, cast.coordinator) == [
        "Nia has declared a conflict of interest with EASTBANK, where the case is."
    ]
    Case.objects.filter(pk=case.pk).update(region="Westfield")
    case.refresh_from_db()
    assert assigned(case, nia, cast.coordinator)


def test_a_place_conflict_never_matches_a_case_without_a_region(cast, roster):
    case = build_case(cast.programme)
    nia = accredited(roster)
    ConflictDeclaration.objects.create(
        facilitator=nia, kind=ConflictKind.PLACE, name="Eastbank", declared_by=nia
    )
    assert assigned(case, nia, cast.coordinator)


def test_a_conflict_with_the_referring_organisation_is_refused(cast, roster):
    # The builders' referrals come from "Northshire Police".
    case = build_case(cast.programme)
    nia = accredited(roster)
    ConflictDeclaration.objects.create(
        facilitator=nia,
        kind=ConflictKind.ORGANISATION,
        name="northshire police",
        declared_by=nia,
    )
    assert refused(case, nia, cast.coordinator) == [
        "Nia has declared a conflict of interest with northshire police, which referred the case."
    ]
    ConflictDeclaration.objects.filter(facilitator=nia).update(name="Northshire Probation")
    assert assigned(case, nia, cast.coordinator)


def test_overdue_supervision_short_cpd_and_no_recent_practice_warn_but_do_not_block(cast, roster):
    # given: accredited, never supervised, no training, never observed, no process
    case = build_case(cast.programme)
    nia = accredited(roster)
    # when
    assert assigned(case, nia, cast.coordinator)
    facts = case_facts(case)
    # then
    (facilitator,) = facts.facilitators
    assert facilitator.problems == ()
    assert facilitator.warnings == (
        "Nia: No supervision is recorded.",
        "Nia: 0 of 12 CPD hours done this year.",
        "Nia: No observed practice this year.",
        "Nia: No process in the last 12 months.",
    )
    assert g6_competence(facts) == []


def test_a_compliant_facilitator_has_no_warnings(cast, roster):
    case = build_case(cast.programme)
    nia = roster.compliant(roster.facilitator("Nia"), today())
    assert facilitator_checks(case=case, facilitators=[nia], today=today())[nia.pk].warnings == ()


def test_the_checklist_fails_g6_once_an_assigned_facilitators_accreditation_runs_out(cast, roster):
    # given: assigned while accredited until the end of next week
    case = build_case(cast.programme)
    nia = roster.facilitator("Nia")
    last_day = today() + datetime.timedelta(days=7)
    roster.accreditation(nia, today() - YEAR, last_day)
    assert assigned(case, nia, cast.coordinator)
    # when: the case is looked at the day after
    facts = case_facts(case, today=last_day + datetime.timedelta(days=1))
    # then
    assert g6_competence(facts) == [f"The accreditation of Nia ran out on {last_day.isoformat()}."]
    assert g6_competence(case_facts(case, today=last_day)) == []


def test_the_checks_take_the_same_number_of_queries_for_one_or_many_facilitators(cast, roster):
    case = build_case(cast.programme, categories=("domestic-abuse",))
    one = [accredited(roster, "One")]
    many = [accredited(roster, f"Many {number}") for number in range(6)]
    for user in many:
        roster.supervision(user, today())
        roster.training(user, today(), "2")
        roster.process(user, today())
    case = Case.objects.get(pk=case.pk)
    with CaptureQueriesContext(connection) as for_one:
        facilitator_checks(case=case, facilitators=one, today=today())
    case = Case.objects.get(pk=case.pk)
    with CaptureQueriesContext(connection) as for_many:
        facilitator_checks(case=case, facilitators=many, today=today())
    assert len(for_many) == len(for_one)
