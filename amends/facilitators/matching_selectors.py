"""Snapshots for matching, read from the database in a fixed number of queries: the
programme's roster of facilitators (`roster_for`) and what each case needs
(`case_needs_for`). No query runs per facilitator or per case, so a roster of 500 costs
what a roster of 5 does.

Two defaults keep a programme working before profiles are filled in: a participant who
stated no language speaks the programme's default language, and so does a facilitator
who declared none.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.models import (
    KEY_ROLES,
    Case,
    ContactLog,
    FacilitatorAssignment,
    Participant,
    ParticipantRole,
)
from amends.cases.stages import CaseStage
from amends.facilitators.matching import Candidate, CaseNeed, fold, language_code
from amends.facilitators.models import (
    Accreditation,
    AwayPeriod,
    ConflictDeclaration,
    ConflictKind,
    EndorsementRecord,
    FacilitatorProfile,
)
from amends.facilitators.standing import (
    accreditation_on,
    endorsements_on,
    required_endorsements,
)
from amends.programmes.models import Programme
from amends.programmes.selectors import settings_for
from amends.referrals.models import Offence

# The stages in which a case waits for its facilitator; the batch run looks only here.
BATCH_STAGES = (CaseStage.CONTACT, CaseStage.ASSESSMENT, CaseStage.PREPARATION)
_DEFAULT_CAPACITY: int = FacilitatorProfile._meta.get_field("capacity").get_default()


def _roster_ids(programme: Programme) -> QuerySet[Membership, Any]:
    # The same test as G6 (`competence.facilitator_checks`): an active user holding the
    # role in an active programme.
    return Membership.objects.filter(
        programme=programme,
        programme__is_active=True,
        role=Role.FACILITATOR,
        user__is_active=True,
    ).values("user_id")


def roster_users(programme: Programme) -> QuerySet[User]:
    """Active users with the facilitator role in the programme."""
    return (
        User.objects.filter(pk__in=_roster_ids(programme))
        .select_related("facilitator_profile")
        .order_by("full_name", "email")
    )


def _grouped(rows: Iterable[Any]) -> dict[int, list[Any]]:
    """Rows whose first column is the facilitator id, by facilitator."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


@dataclass(slots=True)
class _Category:
    is_sensitive: bool
    required_endorsement: str


_PROFILE_COLUMNS = (
    "pk",
    "full_name",
    "email",
    "facilitator_profile__gender",
    "facilitator_profile__languages",
    "facilitator_profile__regions",
    "facilitator_profile__cultural_competencies",
    "facilitator_profile__capacity",
)


def roster_for(
    programme: Programme, *, day: datetime.date | None = None, default_language: str | None = None
) -> list[Candidate]:
    """A snapshot of every facilitator of the programme on `day` (today by default).

    Rows, not model instances: building 500 users with their records as models would
    cost more than everything else matching does.
    """
    day = day or timezone.localdate()
    language = language_code(default_language or settings_for(programme).default_language)
    ids = _roster_ids(programme)
    # Only records valid on `day` can count; `standing` still decides which one does.
    accreditations = _grouped(
        Accreditation.objects.filter(
            facilitator_id__in=ids, valid_from__lte=day, valid_to__gte=day
        ).values_list("facilitator_id", "level", "valid_from", "valid_to", named=True)
    )
    endorsements = _grouped(
        EndorsementRecord.objects.filter(facilitator_id__in=ids, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .values_list("facilitator_id", "endorsement", "valid_from", "valid_to", named=True)
    )
    conflicts = _grouped(
        ConflictDeclaration.objects.filter(facilitator_id__in=ids).values_list(
            "facilitator_id", "kind", "person_id", "name"
        )
    )
    assignments = FacilitatorAssignment.objects.filter(facilitator_id__in=ids)
    load: dict[int, int] = dict(
        assignments.exclude(case__stage=CaseStage.CLOSED)
        .values("facilitator_id")
        .annotate(n=Count("id"))
        .values_list("facilitator_id", "n")
    )
    experience: dict[int, dict[str, int]] = defaultdict(dict)
    for facilitator_id, process_type, count in (
        assignments.exclude(case__process_type="")
        .values("facilitator_id", "case__process_type")
        .annotate(n=Count("id"))
        .values_list("facilitator_id", "case__process_type", "n")
    ):
        experience[facilitator_id][process_type] = count
    away: dict[int, datetime.date] = dict(
        AwayPeriod.objects.filter(facilitator_id__in=ids, starts_on__lte=day, ends_on__gte=day)
        .values("facilitator_id")
        .annotate(until=Max("ends_on"))
        .values_list("facilitator_id", "until")
    )
    candidates = []
    for row in roster_users(programme).values_list(*_PROFILE_COLUMNS):
        pk = row[0]
        candidates.append(
            _candidate(
                row,
                language=language,
                accredited=accreditation_on(accreditations.get(pk, []), day) is not None,
                endorsements=endorsements_on(endorsements.get(pk, []), day),
                conflicts=conflicts.get(pk, []),
                load=load.get(pk, 0),
                experience=experience.get(pk, {}),
                away_until=away.get(pk),
            )
        )
    return candidates


def _candidate(
    row: tuple[Any, ...],
    *,
    language: str,
    accredited: bool,
    endorsements: frozenset[str],
    conflicts: Sequence[tuple[int, str, int | None, str]],
    load: int,
    experience: dict[str, int],
    away_until: datetime.date | None,
) -> Candidate:
    pk, full_name, email, gender, languages, regions, competencies, capacity = row

    def named(kind: str) -> frozenset[str]:
        return frozenset(fold(name) for _f, k, _p, name in conflicts if k == kind and name)

    return Candidate(
        id=pk,
        name=full_name or email,
        accredited=accredited,
        endorsements=endorsements,
        languages=frozenset(language_code(code) for code in languages or ())
        or frozenset({language}),
        gender=gender or "",
        regions=frozenset(regions or ()),
        cultural_competencies=frozenset(competencies or ()),
        capacity=_DEFAULT_CAPACITY if capacity is None else capacity,
        active_load=load,
        conflict_person_ids=frozenset(
            person for _f, kind, person, _n in conflicts if kind == ConflictKind.PERSON and person
        ),
        conflict_places=named(ConflictKind.PLACE),
        conflict_organisations=named(ConflictKind.ORGANISATION),
        process_experience=experience,
        away_until=away_until,
    )


def batch_cases(programme: Programme) -> QuerySet[Case]:
    """Open cases of the programme waiting for a facilitator: in contact, assessment or
    preparation, and nobody assigned. Urgent referrals first, then the oldest."""
    return (
        Case.objects.filter(programme=programme, stage__in=BATCH_STAGES, assignments__isnull=True)
        .select_related("referral")
        .order_by("-referral__urgency", "created_at", "id")
    )


def case_needs_for(cases: Sequence[Case], *, default_language: str) -> list[CaseNeed]:
    """What each case needs of a facilitator, in the order given (cases with referrals)."""
    ids = [case.pk for case in cases]
    participants = Participant.objects.filter(case_id__in=ids).values_list(
        "case_id", "person_id", "role", "person__preferred_language", "preferred_facilitator_gender"
    )
    people: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for case_id, person_id, role, language, gender in participants:
        people[case_id].append((person_id, role, language, gender))
    categories: dict[int, list[_Category]] = defaultdict(list)
    for case_id, sensitive, endorsement in Offence.objects.filter(
        referral__case__in=ids
    ).values_list("referral__case__id", "category__is_sensitive", "category__required_endorsement"):
        categories[case_id].append(_Category(sensitive, endorsement))
    contacts: dict[int, set[int]] = defaultdict(set)
    for case_id, facilitator_id in ContactLog.objects.filter(
        participant__case_id__in=ids
    ).values_list("participant__case_id", "recorded_by_id"):
        contacts[case_id].add(facilitator_id)
    assigned: dict[int, set[int]] = defaultdict(set)
    for case_id, facilitator_id in FacilitatorAssignment.objects.filter(
        case_id__in=ids
    ).values_list("case_id", "facilitator_id"):
        assigned[case_id].add(facilitator_id)
    return [
        CaseNeed(
            id=case.pk,
            reference=case.reference,
            required_endorsements=required_endorsements(categories[case.pk]),
            languages=frozenset(
                language_code(language or default_language)
                for _person, role, language, _gender in people[case.pk]
                if role in KEY_ROLES
            ),
            interpreter_booked=any(
                role == ParticipantRole.INTERPRETER for _p, role, _l, _g in people[case.pk]
            ),
            person_ids=frozenset(person for person, _r, _l, _g in people[case.pk]),
            region=case.region,
            referring_agency=case.referral.agency,
            requested_genders=frozenset(g for _p, _r, _l, g in people[case.pk] if g),
            process_type=case.process_type,
            is_sensitive=case.is_sensitive,
            contact_facilitator_ids=frozenset(contacts[case.pk]),
            assigned_facilitator_ids=frozenset(assigned[case.pk]),
        )
        for case in cases
    ]


def case_need_for(case: Case, *, default_language: str | None = None) -> CaseNeed:
    language = default_language or settings_for(case.programme).default_language
    return case_needs_for([case], default_language=language)[0]


def roster_users_by_id(programme: Programme, ids: Iterable[int]) -> dict[int, User]:
    """The roster's users among `ids` (anyone else is simply absent)."""
    return {user.pk: user for user in roster_users(programme).filter(pk__in=list(ids))}
