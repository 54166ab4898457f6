"""Matching's reasons, one rule at a time: what a coordinator reads about why someone is
or is not suggested, and how the score is made up."""

from __future__ import annotations

import datetime

import pytest

from amends.facilitators.matching import (
    MAX_POINTS,
    Candidate,
    CaseNeed,
    batch_assign,
    rank,
    review,
    suggest_pairs,
)


def candidate(number: int = 1, **changes) -> Candidate:
    values = {
        "id": number,
        "name": f"Facilitator {number}",
        "accredited": True,
        "languages": frozenset({"en"}),
        "capacity": 4,
        "active_load": 0,
    }
    return Candidate(**{**values, **changes})


def need(**changes) -> CaseNeed:
    return CaseNeed(**{"id": 10, "reference": "ABC", **changes})


def only(need_: CaseNeed, candidate_: Candidate):
    return rank(need_, [candidate_])[0]


def codes(suggestion) -> set[str]:
    return {reason.code for reason in suggestion.failures}


@pytest.mark.parametrize(
    ("changes", "case_changes", "code", "words"),
    [
        ({"accredited": False}, {}, "accreditation", "no valid accreditation"),
        (
            {},
            {"required_endorsements": frozenset({"domestic_abuse"})},
            "endorsement",
            "Domestic abuse",
        ),
        ({}, {"languages": frozenset({"pl"})}, "language", "Polish"),
        (
            {"conflict_person_ids": frozenset({7})},
            {"person_ids": frozenset({7})},
            "conflict_person",
            "someone in this case",
        ),
        ({"conflict_places": frozenset({"north"})}, {"region": "North"}, "conflict_place", "North"),
        (
            {"conflict_organisations": frozenset({"northshire police"})},
            {"referring_agency": "Northshire Police"},
            "conflict_organisation",
            "Northshire Police",
        ),
        ({"gender": "man"}, {"requested_genders": frozenset({"woman"})}, "gender", "Woman"),
        ({"capacity": 3, "active_load": 3}, {}, "capacity", "3 active cases"),
        ({}, {"assigned_facilitator_ids": frozenset({1})}, "already_assigned", "Already"),
    ],
)
def test_each_hard_constraint_makes_a_facilitator_ineligible_and_says_why(
    changes, case_changes, code, words
):
    suggestion = only(need(**case_changes), candidate(**changes))
    assert not suggestion.eligible
    assert suggestion.rank is None
    assert codes(suggestion) == {code}
    assert words in suggestion.failures[0].text


def test_a_booked_interpreter_lifts_the_language_requirement():
    without = only(need(languages=frozenset({"pl"})), candidate())
    with_interpreter = only(need(languages=frozenset({"pl"}), interpreter_booked=True), candidate())
    assert codes(without) == {"language"}
    assert with_interpreter.eligible


def test_a_regional_variant_of_a_language_counts_as_the_language():
    assert only(
        need(languages=frozenset({"pt-BR"})), candidate(languages=frozenset({"PT"}))
    ).eligible


def test_a_facilitator_without_a_gender_on_record_cannot_meet_a_gender_request():
    assert codes(only(need(requested_genders=frozenset({"woman"})), candidate(gender=""))) == {
        "gender"
    }
    assert only(need(requested_genders=frozenset({"woman"})), candidate(gender="woman")).eligible


def test_two_different_gender_requests_leave_nobody_eligible():
    asked = need(requested_genders=frozenset({"woman", "man"}))
    assert not any(
        s.eligible for s in rank(asked, [candidate(1, gender="woman"), candidate(2, gender="man")])
    )


def test_the_score_adds_up_region_continuity_culture_experience_and_load_with_reasons():
    # given a facilitator strong on every count
    strong = candidate(
        regions=frozenset({"North "}),
        cultural_competencies=frozenset({"polish"}),
        process_experience={"letters": 5},
        capacity=4,
        active_load=0,
    )
    case = need(
        region="north",
        cultural_needs=frozenset({"Polish"}),
        process_type="letters",
        contact_facilitator_ids=frozenset({1}),
    )
    # when
    suggestion = only(case, strong)
    # then every component is full and each has its sentence
    assert suggestion.score == pytest.approx(MAX_POINTS)
    texts = {reason.code: reason.text for reason in suggestion.reasons}
    assert texts["region"] == "Works in north."
    assert texts["continuity"] == "Has already been in contact with someone in this case."
    assert texts["culture"] == "Knows the community: Polish."
    assert texts["experience"] == "Has worked on 5 cases of Letter exchange."
    assert texts["load"] == "4 of 4 places free."


def test_load_and_experience_score_in_proportion():
    half = only(
        need(process_type="letters"),
        candidate(capacity=4, active_load=2, process_experience={"letters": 1}),
    )
    assert half.points["load"] == pytest.approx(1.0)
    assert half.points["experience"] == pytest.approx(0.4)
    assert half.points["region"] == 0


def test_someone_away_is_still_suggested_with_a_note():
    suggestion = only(need(), candidate(away_until=datetime.date(2030, 5, 1)))
    assert suggestion.eligible
    assert any(r.code == "away" and "2030" in r.text for r in suggestion.reasons)


def test_ranking_puts_the_eligible_first_by_score_and_ties_share_a_rank():
    # given two equal facilitators, one better one and one who may not take the case
    roster = [
        candidate(1, name="Zed", active_load=2),
        candidate(2, name="Amy", active_load=2),
        candidate(3, name="Best", regions=frozenset({"North"})),
        candidate(4, name="Never", accredited=False, regions=frozenset({"North"})),
    ]
    # when
    suggestions = rank(need(region="North"), roster)
    # then
    assert [s.candidate.name for s in suggestions] == ["Best", "Amy", "Zed", "Never"]
    assert [s.rank for s in suggestions] == [1, 2, 2, None]


def test_ranking_an_empty_roster_gives_an_empty_list():
    assert rank(need(), []) == []


def test_pairs_prefer_complementary_facilitators_and_explain_the_pair():
    # given one who knows the area and one who knows the process
    local = candidate(1, name="Local", regions=frozenset({"North"}))
    expert = candidate(2, name="Expert", process_experience={"letters": 5})
    neither = candidate(3, name="Neither")
    case = need(region="North", process_type="letters", is_sensitive=True)
    # when
    pairs = suggest_pairs(case, rank(case, [local, expert, neither]))
    # then
    best = pairs[0]
    assert {best.first.candidate.name, best.second.candidate.name} == {"Local", "Expert"}
    texts = " ".join(r.text for r in best.reasons)
    assert "Local: Works in North." in texts
    assert "Expert: Has worked on 5 cases" in texts


def test_a_woman_and_a_man_earn_a_point_together_unless_a_gender_was_asked_for():
    woman, man = candidate(1, gender="woman"), candidate(2, gender="man")
    mixed = suggest_pairs(need(), rank(need(), [woman, man]))[0]
    assert any(r.code == "mixed" for r in mixed.reasons)
    asked = need(requested_genders=frozenset({"woman"}))
    women = [woman, candidate(3, gender="woman")]
    assert not any(r.code == "mixed" for r in suggest_pairs(asked, rank(asked, women))[0].reasons)


def test_pairs_are_made_only_of_eligible_facilitators():
    roster = [candidate(1), candidate(2, accredited=False)]
    assert suggest_pairs(need(), rank(need(), roster)) == []


def test_batch_says_why_a_case_was_left_without_a_facilitator():
    # given one case only a full facilitator could take, and one nobody could
    full = candidate(1, capacity=1, active_load=0)
    first = need(id=1, reference="A")
    second = need(id=2, reference="B")
    impossible = need(id=3, reference="C", required_endorsements=frozenset({"trafficking"}))
    # when
    plan = batch_assign([first, second, impossible], [full])
    # then
    assert len(plan.assignments) == 1
    reasons = {missing.case.reference: missing.reason for missing in plan.unassigned}
    assigned = plan.assignments[0].case.reference
    other = "B" if assigned == "A" else "A"
    assert reasons[other].code == "no_place_left"
    assert reasons["C"].code == "nobody_eligible"
    assert "the endorsement the case needs (1)" in reasons["C"].text


def test_batch_spreads_cases_when_a_second_case_would_load_the_best_facilitator():
    # given two facilitators equal but for places free: the load of each further case counts
    roomy = candidate(1, name="Roomy", capacity=2, active_load=0)
    other = candidate(2, name="Other", capacity=2, active_load=0)
    plan = batch_assign([need(id=1), need(id=2)], [roomy, other])
    assert sorted(a.candidate.name for a in plan.assignments) == ["Other", "Roomy"]


def test_batch_with_no_roster_leaves_every_case_with_a_reason():
    plan = batch_assign([need()], [])
    assert plan.assignments == ()
    assert plan.unassigned[0].reason.text == "The programme has no facilitators."


def test_batch_offers_each_case_its_eligible_facilitators_best_first():
    roster = [
        candidate(1, name="Low", active_load=3),
        candidate(2, name="High"),
        candidate(3, accredited=False),
    ]
    plan = batch_assign([need()], roster)
    assert [option.candidate.name for option in plan.options[10]] == ["High", "Low"]
    assert [option.rank for option in plan.options[10]] == [1, 2]


def test_review_counts_the_places_taken_by_earlier_choices():
    one_place = candidate(1, capacity=1)
    reviewed = review([need(id=1), need(id=2)], [one_place], {1: 1, 2: 1})
    assert reviewed[1].eligible
    assert not reviewed[2].eligible
    assert reviewed[2].failures[0].text == "Has no place left for another case in this run."


def test_review_skips_choices_of_someone_not_on_the_roster():
    assert review([need()], [candidate(1)], {10: 99}) == {}
