"""The plain snapshots matching works on, and what it answers with. Frozen dataclasses:
`matching_selectors` builds them from the database, tests and the benchmark build them
directly."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

# Points each soft component can add; the total is the score a coordinator sees.
WEIGHTS: Mapping[str, float] = {
    "region": 3.0,
    "continuity": 3.0,
    "culture": 2.0,
    "experience": 2.0,
    "load": 2.0,
}
MAX_POINTS = sum(WEIGHTS.values())
# Experience counts fully from this many earlier cases of the same process type.
EXPERIENCE_FULL_AT = 5
# A forbidden pairing costs more than every allowed cost of a whole batch together, so the
# optimum first assigns as many cases as possible, then the best way.
FORBIDDEN_COST = 1e6

type Matrix = npt.NDArray[np.float64]
type Flags = npt.NDArray[np.int32]


class Hard:
    """The hard constraints, as bits of one integer per (case, facilitator). Plain ints,
    not an IntFlag: enum arithmetic is slow enough to matter over 500 candidates."""

    NOT_ACCREDITED = 1
    ENDORSEMENT = 2
    LANGUAGE = 4
    CONFLICT_PERSON = 8
    CONFLICT_PLACE = 16
    CONFLICT_ORGANISATION = 32
    GENDER = 64
    NO_CAPACITY = 128
    ALREADY_ASSIGNED = 256
    ALL = (
        NOT_ACCREDITED,
        ENDORSEMENT,
        LANGUAGE,
        CONFLICT_PERSON,
        CONFLICT_PLACE,
        CONFLICT_ORGANISATION,
        GENDER,
        NO_CAPACITY,
        ALREADY_ASSIGNED,
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """What matching knows of one facilitator on the day it runs."""

    id: int
    name: str
    accredited: bool
    endorsements: frozenset[str] = frozenset()
    # ISO 639-1 codes; "pt-br" counts as "pt".
    languages: frozenset[str] = frozenset()
    gender: str = ""
    regions: frozenset[str] = frozenset()
    cultural_competencies: frozenset[str] = frozenset()
    capacity: int = 0
    active_load: int = 0
    conflict_person_ids: frozenset[int] = frozenset()
    conflict_places: frozenset[str] = frozenset()
    conflict_organisations: frozenset[str] = frozenset()
    # process type → how many cases of that type they have worked on
    process_experience: Mapping[str, int] = field(default_factory=dict)
    # Away today, back after this day (a note for the coordinator, not a constraint).
    away_until: datetime.date | None = None

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.active_load)


@dataclass(frozen=True, slots=True)
class CaseNeed:
    """What one case asks of its facilitators."""

    id: int
    reference: str
    required_endorsements: frozenset[str] = frozenset()
    # The languages of the key participants.
    languages: frozenset[str] = frozenset()
    interpreter_booked: bool = False
    person_ids: frozenset[int] = frozenset()
    region: str = ""
    referring_agency: str = ""
    requested_genders: frozenset[str] = frozenset()
    process_type: str = ""
    cultural_needs: frozenset[str] = frozenset()
    is_sensitive: bool = False
    # Facilitators who already spoke with someone in the case, and who already work on it.
    contact_facilitator_ids: frozenset[int] = frozenset()
    assigned_facilitator_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of "why": a hard failure, a soft component with its points, or a note."""

    code: str
    text: str
    points: float = 0.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    eligible: bool
    score: float
    # Competition rank among the eligible (ties share a rank); None when not eligible.
    rank: int | None
    failures: tuple[Reason, ...]
    reasons: tuple[Reason, ...]
    points: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class PairSuggestion:
    first: Suggestion
    second: Suggestion
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class PlannedAssignment:
    case: CaseNeed
    candidate: Candidate
    score: float
    # The facilitator's rank in the case's own ranked list (1: the top suggestion).
    rank: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Unassigned:
    case: CaseNeed
    reason: Reason


@dataclass(frozen=True, slots=True)
class Option:
    """An eligible facilitator a coordinator may pick instead, for one case."""

    candidate: Candidate
    score: float
    rank: int


@dataclass(frozen=True, slots=True)
class BatchPlan:
    assignments: tuple[PlannedAssignment, ...]
    unassigned: tuple[Unassigned, ...]
    # case id → the best eligible facilitators for it, best first
    options: Mapping[int, tuple[Option, ...]]
    # Sum of the costs of the chosen pairings (MAX_POINTS − score, with load per place).
    total_cost: float


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Names of places, organisations and competencies compare without case or spaces."""
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1024)
def language_code(code: str) -> str:
    """The primary language subtag: "pt-BR" and "pt" are the same language here."""
    return code.strip().lower().replace("_", "-").split("-", 1)[0]
