"""G6 Competence: what stops a facilitator from working on a case.

Today: they must hold the facilitator role in the case's programme and have declared no
conflict with anyone in the case. The facilitators issue adds accreditation, the
endorsement a sensitive category needs and currency (supervision, CPD, recent practice)
as further checks in `facilitator_problems`, so G6 grows here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.facilitators.models import ConflictDeclaration


def conflicted_person_ids(
    facilitator_ids: Iterable[int], person_ids: Iterable[int]
) -> set[tuple[int, int]]:
    """(facilitator id, person id) pairs with a declared conflict, in one query."""
    return set(
        ConflictDeclaration.objects.filter(
            facilitator_id__in=list(facilitator_ids), person_id__in=list(person_ids)
        ).values_list("facilitator_id", "person_id")
    )


def facilitator_problems(
    facilitator: Any,
    *,
    programme_id: int,
    conflicts: set[tuple[int, int]],
    participant_labels: dict[int, str],
) -> list[str]:
    """Reasons this facilitator may not facilitate the case (empty: they may).

    `participant_labels` maps each person id in the case to how the case names them.
    """
    name = facilitator.full_name or facilitator.email
    problems = []
    if not facilitator.is_active or Role.FACILITATOR not in programme_roles(facilitator).get(
        programme_id, frozenset()
    ):
        problems.append(
            _("%(name)s is no longer a facilitator of this programme.") % {"name": name}
        )
    for person_id, label in participant_labels.items():
        if (facilitator.pk, person_id) in conflicts:
            problems.append(
                _("%(name)s has declared a conflict of interest with %(person)s.")
                % {"name": name, "person": label}
            )
    return problems
