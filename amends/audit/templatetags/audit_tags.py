"""Template helpers for showing audit events."""

from __future__ import annotations

from typing import Any

from django import template

from amends.audit.chain import canonical_json

register = template.Library()


@register.filter
def compact_json(value: Any) -> str:
    """An event's details as one line of JSON; empty when there are none."""
    return canonical_json(value) if value else ""
