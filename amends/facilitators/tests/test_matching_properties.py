"""Properties of matching over random rosters and cases (hypothesis, derandomised).

The hard constraints and the soft score are written out again here, plainly and one pair
at a time, as the reference the vectorised core must agree with: nobody suggested or
batch-assigned ever breaks a hard constraint, nobody gets more cases than their places,
and on small instances the batch optimum equals a brute-force search.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from amends.facilitators.matching import (
    Candidate,
    CaseNeed,
    batch_assign,
    rank,
    review,
    suggest_pairs,
)

SETTINGS = settings(derandomize=True, deadline=None, max_examples=100, database=None)
SMALL = settings(derandomize=True, deadline=None, max_examples=120, database=None)

ENDORSEMENTS = ["domestic_abuse", "sexual_harm", "youth"]
# Spellings that must compare equal ("pt-BR" is "pt"; places ignore case and spaces).
LANGUAGES = ["en", "pl", "pt", "pt-BR", "EN"]
GENDERS = ["woman", "man", "non_binary"]
PLACES = ["North", " north", "South"]
AGENCIES = ["Police", "POLICE", "Court"]
PROCESSES = ["letters", "meeting"]
COMMUNITIES = ["Polish", "polish", "Somali"]


def subsets(items: list[str], most: int = 2) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(items), max_size=most)


@st.composite
def candidates(draw: st.DrawFn, most: int = 6, capacity: int = 4) -> list[Candidate]:
    count = draw(st.integers(min_value=0, max_value=most))
    roster = []
    for number in range(1, count + 1):
        places = draw(st.integers(min_value=0, max_value=capacity))
        roster.append(
            Candidate(
                id=number,
                name=draw(st.sampled_from(["Ann", "Bea", "Cal", "Dee"])) + f" {number}",
                accredited=draw(st.booleans()),
                endorsements=draw(subsets(ENDORSEMENTS, 3)),
                languages=draw(subsets(LANGUAGES, 3)),
                gender=draw(st.sampled_from(["", *GENDERS])),
                regions=draw(subsets(PLACES)),
                cultural_competencies=draw(subsets(COMMUNITIES)),
                capacity=places,
                active_load=draw(st.integers(min_value=0, max_value=places + 1)),
                conflict_person_ids=draw(st.frozensets(st.integers(1, 8), max_size=2)),
                conflict_places=draw(subsets(PLACES, 1)),
                conflict_organisations=draw(subsets(AGENCIES, 1)),
                process_experience=draw(
                    st.dictionaries(st.sampled_from(PROCESSES), st.integers(0, 7), max_size=2)
                ),
            )
        )
    return roster


@st.composite
def needs(draw: st.DrawFn, most: int = 6, facilitators: int = 6) -> list[CaseNeed]:
    count = draw(st.integers(min_value=0, max_value=most))
    return [
        CaseNeed(
            id=100 + number,
            reference=f"C{number}",
            required_endorsements=draw(subsets(ENDORSEMENTS, 1)),
            languages=draw(subsets(LANGUAGES, 2)),
            interpreter_booked=draw(st.booleans()),
            person_ids=draw(st.frozensets(st.integers(1, 8), max_size=3)),
            region=draw(st.sampled_from(["", *PLACES])),
            referring_agency=draw(st.sampled_from(["", *AGENCIES])),
            requested_genders=draw(subsets(GENDERS, 1)),
            process_type=draw(st.sampled_from(["", *PROCESSES])),
            cultural_needs=draw(subsets(COMMUNITIES, 2)),
            contact_facilitator_ids=draw(st.frozensets(st.integers(1, facilitators), max_size=1)),
            assigned_facilitator_ids=draw(st.frozensets(st.integers(1, facilitators), max_size=1)),
        )
        for number in range(count)
    ]


# --- the reference, one pair at a time ---------------------------------------------------


def same(one: str, other: str) -> bool:
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def primary(code: str) -> str:
    return code.lower().split("-")[0]


def broken(need: CaseNeed, candidate: Candidate) -> set[str]:
    """Every hard constraint `candidate` breaks for `need`."""
    found = set()
    if not candidate.accredited:
        found.add("accreditation")
    if not need.required_endorsements <= candidate.endorsements:
        found.add("endorsement")
    spoken = {primary(code) for code in candidate.languages}
    if not need.interpreter_booked and any(primary(c) not in spoken for c in need.languages):
        found.add("language")
    if need.person_ids & candidate.conflict_person_ids:
        found.add("conflict_person")
    if need.region and any(same(need.region, place) for place in candidate.conflict_places):
        found.add("conflict_place")
    if need.referring_agency and any(
        same(need.referring_agency, name) for name in candidate.conflict_organisations
    ):
        found.add("conflict_organisation")
    if any(gender != candidate.gender for gender in need.requested_genders):
        found.add("gender")
    if candidate.capacity - candidate.active_load <= 0:
        found.add("capacity")
    if candidate.id in need.assigned_facilitator_ids:
        found.add("already_assigned")
    return found


def load_points(load: int, capacity: int) -> float:
    if capacity <= 0:
        return 0.0
    return 2.0 * min(1.0, max(0.0, (capacity - load) / capacity))


def score_without_load(need: CaseNeed, candidate: Candidate) -> float:
    score = 0.0
    if need.region and any(same(need.region, r) for r in candidate.regions):
        score += 3.0
    if need.cultural_needs:
        wanted = {" ".join(x.split()).casefold() for x in need.cultural_needs}
        held = {" ".join(x.split()).casefold() for x in candidate.cultural_competencies}
        score += 2.0 * min(1.0, len(wanted & held) / len(wanted))
    if candidate.id in need.contact_facilitator_ids:
        score += 3.0
    if need.process_type:
        score += 2.0 * min(candidate.process_experience.get(need.process_type, 0), 5) / 5
    return score


def cost_of(assignment: dict[int, Candidate], by_case: dict[int, CaseNeed]) -> float:
    """12 − score per case, where a facilitator's k-th new case scores the load they then
    carry (which case takes which place does not change the sum)."""
    total = 0.0
    taken: Counter[int] = Counter()
    for case_id, candidate in assignment.items():
        slot = taken[candidate.id]
        taken[candidate.id] += 1
        points = score_without_load(by_case[case_id], candidate)
        points += load_points(candidate.active_load + slot, candidate.capacity)
        total += 12.0 - points
    return total


# --- properties ------------------------------------------------------------------------


@SETTINGS
@given(roster=candidates(), cases=needs(most=2))
def test_ranking_suggests_exactly_those_who_break_no_hard_constraint(roster, cases):
    for need in cases:
        suggestions = rank(need, roster)
        assert sorted(s.candidate.id for s in suggestions) == sorted(c.id for c in roster)
        for suggestion in suggestions:
            reference = broken(need, suggestion.candidate)
            assert suggestion.eligible == (not reference)
            assert {r.code for r in suggestion.failures} == reference


@SETTINGS
@given(roster=candidates(), cases=needs(most=1))
def test_ranking_lists_the_eligible_first_best_score_first_with_competition_ranks(roster, cases):
    for need in cases:
        suggestions = rank(need, roster)
        eligible = [s for s in suggestions if s.eligible]
        assert suggestions[: len(eligible)] == eligible
        scores = [s.score for s in eligible]
        assert scores == sorted(scores, reverse=True)
        for s in eligible:
            assert s.rank == 1 + sum(1 for other in eligible if other.score > s.score + 1e-9)
            assert math.isclose(s.score, sum(s.points.values()), abs_tol=1e-6)
            expected = score_without_load(need, s.candidate) + load_points(
                s.candidate.active_load, s.candidate.capacity
            )
            assert math.isclose(s.score, expected, abs_tol=1e-6)


@SETTINGS
@given(roster=candidates(), cases=needs(most=1))
def test_co_facilitator_pairs_are_two_different_eligible_facilitators(roster, cases):
    for need in cases:
        for pair in suggest_pairs(need, rank(need, roster)):
            assert pair.first.candidate.id != pair.second.candidate.id
            assert not broken(need, pair.first.candidate)
            assert not broken(need, pair.second.candidate)


@SETTINGS
@given(roster=candidates(most=8), cases=needs(most=10, facilitators=8))
def test_batch_assigns_nobody_who_breaks_a_hard_constraint_or_exceeds_capacity(roster, cases):
    plan = batch_assign(cases, roster)
    assert len(plan.assignments) + len(plan.unassigned) == len(cases)
    assert len({a.case.id for a in plan.assignments}) == len(plan.assignments)
    for assignment in plan.assignments:
        assert not broken(assignment.case, assignment.candidate)
    taken = Counter(a.candidate.id for a in plan.assignments)
    for candidate in roster:
        assert taken[candidate.id] <= max(0, candidate.capacity - candidate.active_load)
    for missing in plan.unassigned:
        reason = missing.reason.code
        # Someone who meets everything but a free place: "no place left" (before or in
        # this run); otherwise nobody could ever take it.
        possible = any(broken(missing.case, c) <= {"capacity"} for c in roster)
        assert reason == ("no_place_left" if possible else "nobody_eligible")


@SMALL
@given(roster=candidates(most=3, capacity=3), cases=needs(most=5, facilitators=3))
def test_batch_total_cost_equals_the_brute_force_optimum_on_small_instances(roster, cases):
    # given every way to give each case one of the facilitators, or nobody
    by_case = {need.id: need for need in cases}
    options = [[None, *[c for c in roster if not broken(need, c)]] for need in cases]
    best: tuple[int, float] | None = None
    for choice in itertools.product(*options):
        taken = Counter(c.id for c in choice if c is not None)
        if any(taken[c.id] > max(0, c.capacity - c.active_load) for c in roster):
            continue
        assignment = {n.id: c for n, c in zip(cases, choice, strict=True) if c is not None}
        key = (-len(assignment), cost_of(assignment, by_case))
        if best is None or key < best:
            best = key
    # when
    plan = batch_assign(cases, roster)
    # then as many cases are assigned, at the same total cost, which is the plan's own cost
    assert best is not None
    planned = {a.case.id: a.candidate for a in plan.assignments}
    assert len(planned) == -best[0]
    assert math.isclose(plan.total_cost, best[1], abs_tol=1e-6)
    assert math.isclose(cost_of(planned, by_case), best[1], abs_tol=1e-6)


@SETTINGS
@given(roster=candidates(), cases=needs(most=6), data=st.data())
def test_reviewed_choices_never_break_a_hard_constraint_or_exceed_capacity(roster, cases, data):
    if not roster:
        return
    ids = [c.id for c in roster]
    choices = {need.id: data.draw(st.sampled_from(ids)) for need in cases}
    reviewed = review(cases, roster, choices)
    by_id = {c.id: c for c in roster}
    accepted: Counter[int] = Counter()
    for need in cases:
        suggestion = reviewed[need.id]
        candidate = by_id[choices[need.id]]
        if suggestion.eligible:
            assert not broken(need, candidate)
            accepted[candidate.id] += 1
        elif not broken(need, candidate):
            assert [r.code for r in suggestion.failures] == ["capacity"]
    for candidate in roster:
        assert accepted[candidate.id] <= max(0, candidate.capacity - candidate.active_load)
