"""Template helpers for facilitator pages and the case page's list of facilitators."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

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


@register.filter
def standing_of(standing: Mapping[int, Any], facilitator_id: int) -> Any:
    """One facilitator's G6 standing (its `problems` and `warnings`) from a mapping by id."""
    return standing.get(facilitator_id)
