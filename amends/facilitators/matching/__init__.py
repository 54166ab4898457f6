"""Matching facilitators to cases (issue 5): pure functions over plain snapshots.

Hard constraints decide who may be suggested at all: a valid accreditation, every
endorsement the case's categories need, a language of each key participant (or an
interpreter booked), no declared conflict with anyone or anything in the case, a place
left, and the gender a participant asked for. They are a superset of G6
(`competence.py`), so everyone suggested here is someone the assignment service accepts.
Soft scores then order the eligible: region, cultural match, current load, continuity
with earlier contact in the case, and experience with the planned process.

One vectorised evaluation (`scoring.evaluate`, numpy over needs × candidates) serves
the ranked list of one case (`ranking`) and the programme's batch run (`batch`), so the
two can never disagree. The batch run is an optimal assignment (scipy
`linear_sum_assignment`) with each facilitator's remaining places as repeated columns.
The sentences are in `words`. Nothing here touches the database: the snapshots
(`snapshots`) come from `matching_selectors`.
"""

from amends.facilitators.matching.batch import batch_assign, review
from amends.facilitators.matching.ranking import rank, suggest_pairs
from amends.facilitators.matching.snapshots import (
    MAX_POINTS,
    WEIGHTS,
    BatchPlan,
    Candidate,
    CaseNeed,
    Hard,
    Option,
    PairSuggestion,
    PlannedAssignment,
    Reason,
    Suggestion,
    Unassigned,
    fold,
    language_code,
)

__all__ = [
    "MAX_POINTS",
    "WEIGHTS",
    "BatchPlan",
    "Candidate",
    "CaseNeed",
    "Hard",
    "Option",
    "PairSuggestion",
    "PlannedAssignment",
    "Reason",
    "Suggestion",
    "Unassigned",
    "batch_assign",
    "fold",
    "language_code",
    "rank",
    "review",
    "suggest_pairs",
]
