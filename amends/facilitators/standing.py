"""What a facilitator holds on a given day: pure functions over their dated records.

G6 (`competence.py`), compliance (`compliance.py`) and matching (`matching.py`) all ask
the same questions — which accreditation counts today, which endorsements are valid,
which ones a case needs — and get the answers here, so they can never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from amends.facilitators.models import LEVEL_ORDER


class _Accreditation(Protocol):
    level: str
    valid_from: datetime.date
    valid_to: datetime.date


class _Endorsement(Protocol):
    endorsement: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class _Category(Protocol):
    is_sensitive: bool
    required_endorsement: str


def accreditation_on(
    accreditations: Iterable[_Accreditation], day: datetime.date
) -> _Accreditation | None:
    """The accreditation that counts on `day`: the highest level valid then (the latest
    expiry among equals), or None when none is valid."""
    valid = [each for each in accreditations if each.valid_from <= day <= each.valid_to]
    if not valid:
        return None
    return max(valid, key=lambda each: (LEVEL_ORDER.get(each.level, 0), each.valid_to))


def endorsements_on(records: Iterable[_Endorsement], day: datetime.date) -> frozenset[str]:
    """Endorsements valid on `day`. They count only with a valid accreditation, which
    the callers check separately (an endorsement never stands in for accreditation)."""
    return frozenset(
        record.endorsement
        for record in records
        if record.valid_from <= day and (record.valid_to is None or day <= record.valid_to)
    )


def required_endorsements(categories: Iterable[_Category]) -> frozenset[str]:
    """Every endorsement the case's offence categories require."""
    return frozenset(
        category.required_endorsement for category in categories if category.required_endorsement
    )
