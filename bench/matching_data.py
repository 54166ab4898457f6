"""A programme with a large roster in a throwaway database, for the loader benchmark.

Rows are bulk-created (the services would take minutes for 500 facilitators); the one
case that is ranked is built through the services like any real case.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.models import Case, ContactLog, FacilitatorAssignment, ParticipantRole
from amends.cases.stages import CaseStage
from amends.cases.tests.builders import build_case, participant
from amends.facilitators.models import (
    Accreditation,
    ConflictDeclaration,
    ConflictKind,
    EndorsementRecord,
    FacilitatorProfile,
)
from amends.programmes.defaults import DOMESTIC_ABUSE
from amends.programmes.models import Organisation, Programme
from amends.programmes.services import programme_setup_defaults
from amends.referrals.models import Referral, SourceType

LANGUAGES = ["pl", "ar", "ur", "pa", "ro", "so", "cy"]
REGIONS = [f"District {n}" for n in range(1, 13)]
PROCESSES = ["meeting", "conference", "circle", "shuttle", "letters", "panel"]
GENDERS = ["woman", "man", "non_binary"]


def _facilitators(programme: Programme, count: int, rng: random.Random) -> list[User]:
    # "!" is Django's mark of an unusable password: nobody signs in as these users.
    unusable = "!"
    users = User.objects.bulk_create(
        User(
            email=f"f{n:03d}@bench.example.org", full_name=f"Facilitator {n:03d}", password=unusable
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, programme=programme, role=Role.FACILITATOR) for user in users
    )
    FacilitatorProfile.objects.bulk_create(
        FacilitatorProfile(
            user=user,
            gender=rng.choice(GENDERS),
            languages=["en", *rng.sample(LANGUAGES, rng.randint(0, 2))],
            regions=rng.sample(REGIONS, rng.randint(1, 3)),
            capacity=rng.randint(3, 10),
        )
        for user in users
    )
    return users


def _records(users: list[User], recorder: User, rng: random.Random) -> None:
    today = timezone.localdate()
    Accreditation.objects.bulk_create(
        Accreditation(
            facilitator=user,
            recorded_by=recorder,
            level="intermediate",
            issuer="Bench",
            valid_from=today - datetime.timedelta(days=400),
            valid_to=today + datetime.timedelta(days=300 if rng.random() < 0.9 else -10),
        )
        for user in users
    )
    EndorsementRecord.objects.bulk_create(
        EndorsementRecord(
            facilitator=user,
            recorded_by=recorder,
            endorsement=endorsement,
            valid_from=today - datetime.timedelta(days=100),
        )
        for user in users
        for endorsement in ("domestic_abuse", "sexual_harm", "youth")
        if rng.random() < 0.3
    )


def _workload(programme: Programme, users: list[User], cases: int, rng: random.Random) -> None:
    due = timezone.localdate() + datetime.timedelta(days=5)
    referrals = Referral.objects.bulk_create(
        Referral(programme=programme, source_type=SourceType.POLICE, agency="Bench Police")
        for _ in range(cases)
    )
    open_cases = Case.objects.bulk_create(
        Case(
            programme=programme,
            referral=referral,
            reference=f"B{n:06d}",
            stage=CaseStage.CONTACT,
            process_type=rng.choice(PROCESSES),
            region=rng.choice(REGIONS),
            next_action="Call",
            next_action_due=due,
        )
        for n, referral in enumerate(referrals)
    )
    pairs = {(rng.randrange(cases), rng.randrange(len(users))) for _ in range(cases * 4)}
    FacilitatorAssignment.objects.bulk_create(
        FacilitatorAssignment(case=open_cases[c], facilitator=users[f]) for c, f in pairs
    )


def build_roster(*, facilitators: int, cases: int, seed: int) -> Case:
    """A programme with `facilitators` on its roster carrying `cases` open cases between
    them, and one domestic-abuse case to rank (returned)."""
    rng = random.Random(seed)  # noqa: S311 - seeded synthetic data, nothing secret
    organisation = Organisation.objects.create(name="Bench Trust", slug="bench")
    programme = Programme.objects.create(organisation=organisation, name="Bench", slug="bench")
    programme_setup_defaults(actor=None, programme=programme)
    recorder = User.objects.create_user(email="recorder@bench.example.org", full_name="Recorder")
    users = _facilitators(programme, facilitators, rng)
    _records(users, recorder, rng)
    _workload(programme, users, cases, rng)
    case = build_case(programme, categories=(DOMESTIC_ABUSE,))
    Case.objects.filter(pk=case.pk).update(region=REGIONS[0], process_type="letters")
    harmed = participant(case, ParticipantRole.HARMED)
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            facilitator=user, kind=ConflictKind.PERSON, person=harmed.person, declared_by=user
        )
        for user in rng.sample(users, 5)
    )
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            facilitator=user, kind=ConflictKind.PLACE, name=REGIONS[0], declared_by=user
        )
        for user in rng.sample(users, 5)
    )
    ContactLog.objects.create(
        participant=harmed,
        method="phone",
        outcome="reached",
        occurred_at=timezone.now(),
        recorded_by=users[0],
    )
    return Case.objects.select_related("programme", "referral").get(pk=case.pk)
