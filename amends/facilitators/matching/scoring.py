"""The vectorised evaluation: hard constraints and soft points for needs × candidates in
numpy. The ranked list of one case and the batch run both start here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from amends.facilitators.matching.snapshots import (
    EXPERIENCE_FULL_AT,
    WEIGHTS,
    Candidate,
    CaseNeed,
    Flags,
    Hard,
    Matrix,
    fold,
    language_code,
)

_EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Grid:
    """needs × candidates: failed constraints and soft points (load for the first place)."""

    failures: Flags
    points: Mapping[str, Matrix]

    def score(self) -> Matrix:
        total = sum(self.points.values(), start=np.zeros(self.failures.shape))
        return np.round(total, 6)


def _incidence(rows: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> Matrix:
    matrix = np.zeros((len(rows), len(vocabulary)), dtype=np.float64)
    for index, items in enumerate(rows):
        for item in items:
            matrix[index, vocabulary[item]] = 1.0
    return matrix


def _vocabulary(*sides: Sequence[Iterable[str]]) -> dict[str, int]:
    words = sorted({item for side in sides for items in side for item in items})
    return {word: index for index, word in enumerate(words)}


def _uncovered(
    wanted: Sequence[Iterable[str]], held: Sequence[Iterable[str]]
) -> npt.NDArray[np.bool_]:
    """needs × candidates: True where the candidate holds not every item the need wants."""
    vocabulary = _vocabulary(wanted, held)
    if not vocabulary:
        return np.zeros((len(wanted), len(held)), dtype=bool)
    missing = _incidence(wanted, vocabulary) @ (1.0 - _incidence(held, vocabulary)).T
    return np.asarray(missing > 0.5)


def _overlap(wanted: Sequence[Iterable[str]], held: Sequence[Iterable[str]]) -> Matrix:
    """needs × candidates: how many wanted items the candidate holds."""
    vocabulary = _vocabulary(wanted, held)
    if not vocabulary:
        return np.zeros((len(wanted), len(held)))
    return np.asarray(_incidence(wanted, vocabulary) @ _incidence(held, vocabulary).T)


def load_points(active_load: npt.ArrayLike, capacity: npt.ArrayLike) -> Matrix:
    """More places free, more points; nothing for someone with no capacity."""
    load = np.asarray(active_load, dtype=np.float64)
    places = np.asarray(capacity, dtype=np.float64)
    free = np.divide(places - load, places, out=np.zeros_like(load), where=places > 0)
    return np.asarray(WEIGHTS["load"] * np.clip(free, 0.0, 1.0))


def _conflict_flags(
    needs: Sequence[CaseNeed], candidates: Sequence[Candidate], flags: Flags
) -> None:
    by_person: dict[int, list[int]] = {}
    by_place: dict[str, list[int]] = {}
    by_agency: dict[str, list[int]] = {}
    for row, need in enumerate(needs):
        for person_id in need.person_ids:
            by_person.setdefault(person_id, []).append(row)
        if need.region:
            by_place.setdefault(fold(need.region), []).append(row)
        if need.referring_agency:
            by_agency.setdefault(fold(need.referring_agency), []).append(row)
    for column, candidate in enumerate(candidates):
        for person_id in candidate.conflict_person_ids:
            if person_id in by_person:
                flags[by_person[person_id], column] |= Hard.CONFLICT_PERSON
        for place in candidate.conflict_places:
            if (key := fold(place)) in by_place:
                flags[by_place[key], column] |= Hard.CONFLICT_PLACE
        for name in candidate.conflict_organisations:
            if (key := fold(name)) in by_agency:
                flags[by_agency[key], column] |= Hard.CONFLICT_ORGANISATION


def _hard_flags(needs: Sequence[CaseNeed], candidates: Sequence[Candidate]) -> Flags:
    flags: Flags = np.zeros((len(needs), len(candidates)), dtype=np.int32)
    accredited = np.array([c.accredited for c in candidates], dtype=bool)
    flags[:, ~accredited] |= Hard.NOT_ACCREDITED
    full = np.array([c.remaining <= 0 for c in candidates], dtype=bool)
    flags[:, full] |= Hard.NO_CAPACITY
    endorsements = _uncovered(
        [n.required_endorsements for n in needs], [c.endorsements for c in candidates]
    )
    flags[endorsements] |= Hard.ENDORSEMENT
    languages = _uncovered(
        [{language_code(code) for code in n.languages} for n in needs],
        [{language_code(code) for code in c.languages} for c in candidates],
    )
    interpreter = np.array([n.interpreter_booked for n in needs], dtype=bool)
    flags[languages & ~interpreter[:, None]] |= Hard.LANGUAGE
    genders = _uncovered(
        [n.requested_genders for n in needs], [{c.gender} - {""} for c in candidates]
    )
    flags[genders] |= Hard.GENDER
    _conflict_flags(needs, candidates, flags)
    columns = {candidate.id: column for column, candidate in enumerate(candidates)}
    for row, need in enumerate(needs):
        for facilitator_id in need.assigned_facilitator_ids:
            if facilitator_id in columns:
                flags[row, columns[facilitator_id]] |= Hard.ALREADY_ASSIGNED
    return flags


def _soft_points(needs: Sequence[CaseNeed], candidates: Sequence[Candidate]) -> dict[str, Matrix]:
    shape = (len(needs), len(candidates))
    region = _overlap(
        [{fold(n.region)} - {""} for n in needs],
        [{fold(r) for r in c.regions} for c in candidates],
    )
    wanted = [{fold(x) for x in n.cultural_needs} for n in needs]
    culture = _overlap(wanted, [{fold(x) for x in c.cultural_competencies} for c in candidates])
    wanted_count = np.array([max(1, len(x)) for x in wanted], dtype=np.float64)
    process_types = sorted({n.process_type for n in needs if n.process_type})
    index = {process_type: i for i, process_type in enumerate(process_types)}
    experience_table = np.array(
        [[c.process_experience.get(p, 0) for p in process_types] for c in candidates],
        dtype=np.float64,
    ).reshape(len(candidates), len(process_types))
    experience = np.zeros(shape)
    rows = [row for row, n in enumerate(needs) if n.process_type]
    if rows and candidates:
        columns = [index[needs[row].process_type] for row in rows]
        experience[rows, :] = experience_table[:, columns].T
    continuity = np.zeros(shape)
    positions = {candidate.id: column for column, candidate in enumerate(candidates)}
    for row, need in enumerate(needs):
        for facilitator_id in need.contact_facilitator_ids:
            if facilitator_id in positions:
                continuity[row, positions[facilitator_id]] = 1.0
    load = load_points(
        [c.active_load for c in candidates], [c.capacity for c in candidates]
    ) * np.ones((len(needs), 1))
    return {
        "region": WEIGHTS["region"] * (region > 0.5).astype(np.float64),
        "culture": WEIGHTS["culture"] * np.minimum(culture / wanted_count[:, None], 1.0),
        "continuity": WEIGHTS["continuity"] * continuity,
        "experience": WEIGHTS["experience"]
        * np.minimum(experience, EXPERIENCE_FULL_AT)
        / EXPERIENCE_FULL_AT,
        "load": load,
    }


def evaluate(needs: Sequence[CaseNeed], candidates: Sequence[Candidate]) -> Grid:
    return Grid(failures=_hard_flags(needs, candidates), points=_soft_points(needs, candidates))


def competition_ranks(scores: Matrix, eligible: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """For each (row, column): 1 + how many eligible candidates of the row score higher."""
    masked = np.where(eligible, scores, -np.inf)
    ordered = -np.sort(-masked, axis=1)
    ranks = np.empty(scores.shape, dtype=np.intp)
    for row in range(scores.shape[0]):
        ranks[row] = np.searchsorted(-ordered[row], -scores[row] - _EPSILON, side="right") + 1
    return ranks
