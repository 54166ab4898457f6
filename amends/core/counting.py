"""Counts that stop at a cap: at a million rows "10,000+" is as useful as the exact
figure, and COUNT(*) would read every row to give it."""

from __future__ import annotations

from typing import Any, Final

from django.db.models import QuerySet

# Lists and dashboards count exactly up to this many and say "10,000+" above it.
COUNT_CAP: Final = 10_000


def capped_count(rows: QuerySet[Any], cap: int = COUNT_CAP) -> int:
    """How many rows `rows` has, counted up to `cap + 1` and no further: a LIMITed
    subquery, never COUNT(*) over every row. More than `cap` reads as "cap+"."""
    return rows.order_by().values("pk")[: cap + 1].count()
