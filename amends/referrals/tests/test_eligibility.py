"""G1 as a pure function: eligible, specialist, excluded, unknown, too young, no evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.referrals.eligibility import evaluate
from amends.referrals.models import Decision


@dataclass(frozen=True)
class Policy:
    version: int = 3
    eligible_categories: list[str] = field(default_factory=lambda: ["property", "violence"])
    specialist_categories: list[str] = field(default_factory=lambda: ["domestic-abuse"])
    excluded_categories: list[str] = field(default_factory=lambda: ["sexual-harm"])
    minimum_age_harmed: int | None = None
    minimum_age_responsible: int | None = 10


ADULTS = {"harmed": [40], "responsible": [30]}


def decide(codes, *, policy=None, ages=None, evidence=True, names=None):
    return evaluate(
        Policy() if policy is None else policy,
        category_codes=codes,
        ages=ADULTS if ages is None else ages,
        evidential_basis_confirmed=evidence,
        category_names=names,
    )


@pytest.mark.gate("G1")
def test_offences_all_in_eligible_categories_are_accepted_with_the_policy_version():
    result = decide(["property", "violence"])
    assert result.decision == Decision.ACCEPTED
    assert result.reasons == ["Every offence is eligible under version 3 of the policy."]


@pytest.mark.gate("G1")
def test_a_specialist_category_accepts_under_the_specialist_protocol():
    result = decide(["property", "domestic-abuse"], names={"domestic-abuse": "Domestic abuse"})
    assert result.decision == Decision.ACCEPTED_SPECIALIST
    assert result.reasons == ["Domestic abuse is eligible only under the specialist protocol."]


@pytest.mark.gate("G1")
def test_an_excluded_category_declines_even_beside_eligible_ones():
    result = decide(["property", "sexual-harm"], names={"sexual-harm": "Sexual harm"})
    assert result.decision == Decision.DECLINED
    assert result.reasons == ["Sexual harm is excluded by the programme's eligibility policy."]


@pytest.mark.gate("G1")
def test_a_category_the_policy_does_not_mention_declines():
    result = decide(["violence", "fraud"])
    assert result.decision == Decision.DECLINED
    assert result.reasons == [
        "fraud is not covered by the programme's eligibility policy, so it cannot be accepted."
    ]


@pytest.mark.gate("G1")
def test_a_person_responsible_under_the_minimum_age_declines():
    result = decide(["property"], ages={"harmed": [40], "responsible": [9]})
    assert result.decision == Decision.DECLINED
    assert result.reasons == [
        "A person responsible is younger than the programme's minimum age (10)."
    ]


@pytest.mark.gate("G1")
def test_a_person_harmed_under_the_minimum_age_declines():
    policy = Policy(minimum_age_harmed=16)
    result = decide(["property"], policy=policy, ages={"harmed": [15], "responsible": [30]})
    assert result.decision == Decision.DECLINED
    assert result.reasons == ["A person harmed is younger than the programme's minimum age (16)."]


@pytest.mark.gate("G1")
def test_exactly_the_minimum_age_and_unknown_ages_do_not_decline():
    result = decide(["property"], ages={"harmed": [None], "responsible": [10, None]})
    assert result.decision == Decision.ACCEPTED


@pytest.mark.gate("G1")
def test_without_an_evidential_basis_nothing_is_eligible():
    result = decide(["property"], evidence=False)
    assert result.decision == Decision.DECLINED
    assert result.reasons == ["The referrer has not confirmed that there is an evidential basis."]


@pytest.mark.gate("G1")
def test_a_referral_without_offences_or_a_programme_without_policy_is_declined():
    assert decide([]).decision == Decision.DECLINED
    result = evaluate(
        None, category_codes=["property"], ages=ADULTS, evidential_basis_confirmed=True
    )
    assert result.decision == Decision.DECLINED
    assert "no eligibility policy" in result.reasons[0]


@pytest.mark.gate("G1")
def test_every_reason_to_decline_is_given_together():
    result = decide(["sexual-harm", "fraud"], ages={"responsible": [8]}, evidence=False)
    assert len(result.reasons) == 4


# --- properties --------------------------------------------------------------------------
CODES = ["a", "b", "c", "d", "e", "f"]
code_lists = st.lists(st.sampled_from(CODES), unique=True)
ages = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=100)), max_size=3)


@st.composite
def policies(draw):
    return Policy(
        version=draw(st.integers(min_value=1, max_value=50)),
        eligible_categories=draw(code_lists),
        specialist_categories=draw(code_lists),
        excluded_categories=draw(code_lists),
        minimum_age_harmed=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=25))),
        minimum_age_responsible=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=25))),
    )


def _expected(policy, codes, harmed, responsible, evidence):
    def young(values, minimum):
        return minimum is not None and any(a is not None and a < minimum for a in values)

    declined = (
        not codes
        or not evidence
        or any(c in policy.excluded_categories for c in codes)
        or any(
            c not in policy.eligible_categories and c not in policy.specialist_categories
            for c in codes
        )
        or young(harmed, policy.minimum_age_harmed)
        or young(responsible, policy.minimum_age_responsible)
    )
    if declined:
        return Decision.DECLINED
    if any(c in policy.specialist_categories for c in codes):
        return Decision.ACCEPTED_SPECIALIST
    return Decision.ACCEPTED


@pytest.mark.gate("G1")
@given(policies(), code_lists, ages, ages, st.booleans())
def test_the_decision_follows_the_rules_for_any_policy_and_referral(
    policy, codes, harmed, responsible, evidence
):
    result = evaluate(
        policy,
        category_codes=codes,
        ages={"harmed": harmed, "responsible": responsible},
        evidential_basis_confirmed=evidence,
    )
    assert result.decision == _expected(policy, codes, harmed, responsible, evidence)
    assert result.reasons, "every decision carries its reasons"
    assert all(isinstance(reason, str) and reason.strip() for reason in result.reasons)


@pytest.mark.gate("G1")
@given(policies(), code_lists, st.sampled_from(CODES))
def test_adding_an_excluded_offence_always_declines(policy, codes, extra):
    excluded_policy = Policy(
        version=policy.version,
        eligible_categories=policy.eligible_categories,
        specialist_categories=policy.specialist_categories,
        excluded_categories=[*policy.excluded_categories, extra],
    )
    result = evaluate(
        excluded_policy,
        category_codes=[*codes, extra],
        ages={},
        evidential_basis_confirmed=True,
    )
    assert result.decision == Decision.DECLINED


@pytest.mark.gate("G1")
@given(policies(), code_lists, ages, ages)
def test_the_only_numbers_in_the_reasons_are_the_policys_own(policy, codes, harmed, responsible):
    # Ages are personal data, and the reasons are stored with the decision and audited.
    result = evaluate(
        policy,
        category_codes=codes,
        ages={"harmed": harmed, "responsible": responsible},
        evidential_basis_confirmed=True,
    )
    numbers = {int(found) for found in re.findall(r"\d+", " ".join(result.reasons))}
    allowed = {policy.version, policy.minimum_age_harmed, policy.minimum_age_responsible}
    assert numbers <= allowed
