"""Template helpers for facilitator pages and the case page's list of facilitators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import timezone

from amends.facilitators.competence import Competence, facilitator_checks
from amends.facilitators.models import AccreditationLevel
from amends.programmes.models import Endorsement

register = template.Library()


@register.filter
def endorsement_labels(codes: Iterable[str]) -> list[str]:
    """Endorsement codes as their labels, in the order of the choices."""
    held = set(codes)
    return [str(label) for code, label in Endorsement.choices if code in held]


@register.filter
def level_label(code: str | None) -> str:
    if code in AccreditationLevel.values:
        return str(AccreditationLevel(code).label)
    return ""


@register.simple_tag
def facilitator_standing(case: Any, assignments: Iterable[Any]) -> dict[int, Competence]:
    """facilitator id → G6 problems and warnings for the assigned facilitators of `case`
    today (the case page shows the warnings next to each name)."""
    people = [assignment.facilitator for assignment in assignments]
    return facilitator_checks(case=case, facilitators=people, today=timezone.localdate())


@register.filter
def standing_of(standing: dict[int, Competence], facilitator_id: int) -> Competence | None:
    return standing.get(facilitator_id)
