"""G6 Competence (UN 18–19, CoE CM/Rec(2018)8, RJC): may these facilitators work on
this case, and what should a coordinator know about them?

Problems block the assignment (and G6 on the case's checklist):

- not (or no longer) a facilitator of the case's programme;
- no valid accreditation on the day (none recorded, or it ran out);
- a specialist endorsement the case's offence categories require is missing;
- a declared conflict with a person in the case, with the case's region (a place) or
  with the organisation that referred it (compared without regard to case).

Warnings do not block: supervision overdue, CPD hours short this calendar year, no
observed practice this calendar year, no process in the last 12 months
(`compliance.Compliance.warnings`).

`facilitator_checks` answers for any number of facilitators in a fixed number of
queries; `cases.selectors.case_facts` and `cases.services.case_assign_facilitator` both
call it, so the checklist and the assignment can never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.facilitators import compliance
from amends.facilitators.models import ConflictDeclaration, ConflictKind
from amends.facilitators.selectors import facilitator_records, rules_of
from amends.facilitators.standing import required_endorsements
from amends.programmes.models import Endorsement, OffenceCategory
from amends.referrals.models import Offence


@dataclass(frozen=True)
class Competence:
    """What stops a facilitator from working on a case, and what to watch."""

    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    figures: compliance.Compliance | None = None


def facilitator_checks(
    *,
    case: Any,
    facilitators: Iterable[Any],
    today: datetime.date,
    person_labels: Mapping[int, str] | None = None,
) -> dict[int, Competence]:
    """facilitator id → their G6 problems and warnings for `case` on `today`.

    `person_labels` maps the id of each person in the case to how the case names them;
    without it they are read from the case (one more query).
    """
    people = list(facilitators)
    ids = [person.pk for person in people]
    if not ids:
        return {}
    if person_labels is None:
        person_labels = _person_labels(case)
    facilitating = set(
        Membership.objects.filter(
            user_id__in=ids,
            programme_id=case.programme_id,
            role=Role.FACILITATOR,
            programme__is_active=True,
        ).values_list("user_id", flat=True)
    )
    conflicts = _conflicts(ids, person_ids=list(person_labels))
    required = required_endorsements(
        OffenceCategory.objects.filter(
            pk__in=Offence.objects.filter(referral_id=case.referral_id).values("category_id")
        )
    )
    referral = case.referral
    rules = rules_of(case.programme)
    records = facilitator_records(ids, day=today)
    return {
        person.pk: _check(
            person,
            facilitating=person.pk in facilitating,
            figures=compliance.compliance_on(records[person.pk], rules, today),
            required=required,
            conflicts=conflicts.get(person.pk, []),
            person_labels=person_labels,
            region=case.region,
            agency=referral.agency,
        )
        for person in people
    }


def _person_labels(case: Any) -> dict[int, str]:
    from amends.cases.selectors import participant_label

    return {
        participant.person_id: participant_label(participant, case.programme)
        for participant in case.participants.select_related("person")
    }


def _conflicts(ids: list[int], *, person_ids: list[int]) -> dict[int, list[ConflictDeclaration]]:
    found: dict[int, list[ConflictDeclaration]] = {}
    # Only the columns compared: the description is encrypted and not needed here.
    rows = ConflictDeclaration.objects.filter(
        Q(person_id__in=person_ids) | Q(person__isnull=True), facilitator_id__in=ids
    ).only("facilitator_id", "kind", "person_id", "name")
    for row in rows:
        found.setdefault(row.facilitator_id, []).append(row)
    return found


def _same(one: str, other: str) -> bool:
    return bool(one.strip()) and one.strip().casefold() == other.strip().casefold()


def _check(
    facilitator: Any,
    *,
    facilitating: bool,
    figures: compliance.Compliance,
    required: frozenset[str],
    conflicts: list[ConflictDeclaration],
    person_labels: Mapping[int, str],
    region: str,
    agency: str,
) -> Competence:
    name = facilitator.full_name or facilitator.email
    values = {"name": name}
    problems = []
    if not facilitator.is_active or not facilitating:
        problems.append(_("%(name)s is no longer a facilitator of this programme.") % values)
    if not figures.accredited:
        if figures.lapsed_on is not None:
            problems.append(
                _("The accreditation of %(name)s ran out on %(date)s.")
                % {**values, "date": figures.lapsed_on.isoformat()}
            )
        else:
            problems.append(_("%(name)s holds no valid accreditation.") % values)
    for code in sorted(required - figures.endorsements):
        problems.append(
            _("%(name)s does not hold the %(endorsement)s endorsement this case needs.")
            % {**values, "endorsement": Endorsement(code).label}
        )
    problems.extend(_conflict_problems(conflicts, values, person_labels, region, agency))
    warnings = tuple(
        _("%(name)s: %(warning)s") % {**values, "warning": warning}
        for warning in figures.warnings()
    )
    return Competence(problems=tuple(problems), warnings=warnings, figures=figures)


def _conflict_problems(
    conflicts: list[ConflictDeclaration],
    values: dict[str, str],
    person_labels: Mapping[int, str],
    region: str,
    agency: str,
) -> list[str]:
    problems = []
    for conflict in sorted(conflicts, key=lambda each: (each.kind, each.pk)):
        if (
            conflict.kind == ConflictKind.PERSON
            and conflict.person_id is not None
            and conflict.person_id in person_labels
        ):
            problems.append(
                _("%(name)s has declared a conflict of interest with %(person)s.")
                % {**values, "person": person_labels[conflict.person_id]}
            )
        elif conflict.kind == ConflictKind.PLACE and _same(conflict.name, region):
            problems.append(
                _("%(name)s has declared a conflict of interest with %(place)s, where the case is.")
                % {**values, "place": conflict.name}
            )
        elif conflict.kind == ConflictKind.ORGANISATION and _same(conflict.name, agency):
            problems.append(
                _(
                    "%(name)s has declared a conflict of interest with %(organisation)s, "
                    "which referred the case."
                )
                % {**values, "organisation": conflict.name}
            )
    return problems
