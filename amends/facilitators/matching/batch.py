"""The programme's batch run: an optimal assignment of every waiting case (scipy
`linear_sum_assignment`, each facilitator's remaining places as repeated columns), and the
review of a coordinator's changed plan before it is applied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from amends.facilitators.matching.scoring import Grid, competition_ranks, evaluate, load_points
from amends.facilitators.matching.snapshots import (
    FORBIDDEN_COST,
    MAX_POINTS,
    BatchPlan,
    Candidate,
    CaseNeed,
    Flags,
    Hard,
    Matrix,
    Option,
    PlannedAssignment,
    Reason,
    Suggestion,
    Unassigned,
)
from amends.facilitators.matching.words import Words


def _place_columns(
    candidates: Sequence[Candidate], feasible: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], Matrix]:
    """One column per remaining place, never more places than the facilitator could take
    in this run; the k-th place of a facilitator scores the load they would then carry."""
    usable = feasible.sum(axis=0)
    places = np.array(
        [min(c.remaining, int(n)) for c, n in zip(candidates, usable, strict=True)],
        dtype=np.intp,
    )
    owner = np.repeat(np.arange(len(candidates), dtype=np.intp), places)
    starts = np.cumsum(places) - places
    nth = np.arange(owner.size, dtype=np.intp) - np.repeat(starts, places)
    load = np.array([c.active_load for c in candidates], dtype=np.float64)[owner] + nth
    capacity = np.array([c.capacity for c in candidates], dtype=np.float64)[owner]
    return owner, load_points(load, capacity)


def batch_assign(needs: Sequence[CaseNeed], candidates: Sequence[Candidate]) -> BatchPlan:
    """An optimal assignment of every case to one eligible facilitator: as many cases as
    possible, then the smallest total cost (the points a case would miss, with the load
    each further case adds). Cases nobody can take are reported with the reason."""
    from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

    if not needs:
        return BatchPlan(assignments=(), unassigned=(), options={}, total_cost=0.0)
    grid = evaluate(needs, candidates)
    ignoring_capacity = grid.failures & ~np.int32(Hard.NO_CAPACITY)
    feasible = (ignoring_capacity == 0) & np.array(
        [c.remaining > 0 for c in candidates], dtype=bool
    )
    owner, place_load = _place_columns(candidates, feasible)
    scores = grid.score()
    without_load = scores - grid.points["load"]
    cost = (MAX_POINTS - without_load)[:, owner] - place_load[None, :]
    cost[~feasible[:, owner]] = FORBIDDEN_COST
    rows, columns = linear_sum_assignment(cost) if owner.size else ([], [])
    ranks = competition_ranks(scores, grid.failures == 0)
    chosen: dict[int, int] = {}
    total = 0.0
    for row, column in zip(rows, columns, strict=True):
        if cost[row, column] < FORBIDDEN_COST:
            chosen[int(row)] = int(owner[column])
            total += float(cost[row, column])
    return _plan(needs, candidates, grid, chosen, ranks, ignoring_capacity, total)


def _plan(
    needs: Sequence[CaseNeed],
    candidates: Sequence[Candidate],
    grid: Grid,
    chosen: Mapping[int, int],
    ranks: npt.NDArray[np.intp],
    ignoring_capacity: Flags,
    total: float,
) -> BatchPlan:
    scores = grid.score()
    words = Words()
    assignments = []
    unassigned = []
    for row, need in enumerate(needs):
        column = chosen.get(row)
        if column is None:
            possible = bool((ignoring_capacity[row] == 0).any())
            reason = words.unassigned_reason(grid.failures[row], possible=possible)
            unassigned.append(Unassigned(need, reason))
            continue
        candidate = candidates[column]
        points = {name: float(values[row, column]) for name, values in grid.points.items()}
        assignments.append(
            PlannedAssignment(
                case=need,
                candidate=candidate,
                score=float(scores[row, column]),
                rank=int(ranks[row, column]),
                reasons=words.soft_reasons(need, candidate, points),
            )
        )
    return BatchPlan(
        assignments=tuple(assignments),
        unassigned=tuple(unassigned),
        options=_options(needs, candidates, scores, ranks, grid.failures == 0),
        total_cost=round(total, 6),
    )


def _options(
    needs: Sequence[CaseNeed],
    candidates: Sequence[Candidate],
    scores: Matrix,
    ranks: npt.NDArray[np.intp],
    eligible: npt.NDArray[np.bool_],
    limit: int = 15,
) -> dict[int, tuple[Option, ...]]:
    """The `limit` best eligible facilitators of each case (for the preview's choices)."""
    masked = np.where(eligible, scores, -np.inf)
    best = np.argsort(-masked, axis=1, kind="stable")[:, :limit]
    options = {}
    for row, need in enumerate(needs):
        options[need.id] = tuple(
            Option(candidates[column], float(scores[row, column]), int(ranks[row, column]))
            for column in best[row].tolist()
            if eligible[row, column]
        )
    return options


def review(
    needs: Sequence[CaseNeed], candidates: Sequence[Candidate], choices: Mapping[int, int]
) -> dict[int, Suggestion]:
    """A coordinator's choices (case id → facilitator id), checked before they are
    applied: each choice as a suggestion with its rank in that case's list, and the
    places taken by the choices before it counted against the facilitator's capacity."""
    grid = evaluate(needs, candidates)
    scores = grid.score()
    ranks = competition_ranks(scores, grid.failures == 0)
    rows = {need.id: row for row, need in enumerate(needs)}
    columns = {candidate.id: column for column, candidate in enumerate(candidates)}
    taken: dict[int, int] = {}
    words = Words()
    reviewed = {}
    for case_id, facilitator_id in choices.items():
        if case_id not in rows or facilitator_id not in columns:
            continue
        row, column = rows[case_id], columns[facilitator_id]
        need, candidate = needs[row], candidates[column]
        failed = int(grid.failures[row, column])
        failures = words.hard_reasons(need, candidate, failed)
        if not failed and taken.get(facilitator_id, 0) >= candidate.remaining:
            failures = (Reason("capacity", words.run_full),)
        elif not failed:
            taken[facilitator_id] = taken.get(facilitator_id, 0) + 1
        points = {name: float(values[row, column]) for name, values in grid.points.items()}
        reviewed[case_id] = Suggestion(
            candidate=candidate,
            eligible=not failures,
            score=float(scores[row, column]),
            rank=int(ranks[row, column]) if not failures else None,
            failures=failures,
            reasons=words.soft_reasons(need, candidate, points),
            points=points,
        )
    return reviewed
