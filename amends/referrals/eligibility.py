"""G1 as a pure function: is a referral eligible under one version of the programme's
eligibility policy? (DESIGN §3 G1; UN Basic Principles 7, EU 2012/29 Art. 12(2).)

The answer carries its reasons in plain words, for acceptances as well as declines, so
the screening page, the recorded decision and the refusal all say the same thing. The
reasons never contain a person's name or age, only the programme's rules: they are
stored with the decision and written to the audit log.

Precedence, safest first: an excluded category, a category the policy does not mention,
an age under the minimum, or a missing evidential basis each decline the referral; only
then does any specialist category put it under the specialist protocol; otherwise it is
eligible. A category listed as both eligible and specialist counts as specialist.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from amends.referrals.models import Decision

HARMED = "harmed"
RESPONSIBLE = "responsible"


class PolicyRules(Protocol):
    """What the evaluation reads from an `EligibilityPolicy` (any version)."""

    @property
    def version(self) -> int: ...
    @property
    def eligible_categories(self) -> list[str]: ...
    @property
    def specialist_categories(self) -> list[str]: ...
    @property
    def excluded_categories(self) -> list[str]: ...
    @property
    def minimum_age_harmed(self) -> int | None: ...
    @property
    def minimum_age_responsible(self) -> int | None: ...


@dataclass(frozen=True)
class EligibilityResult:
    decision: Decision
    reasons: list[str]

    @property
    def is_eligible(self) -> bool:
        return self.decision != Decision.DECLINED


def evaluate(
    policy: PolicyRules | None,
    *,
    category_codes: Iterable[str],
    ages: Mapping[str, Sequence[int | None]],
    evidential_basis_confirmed: bool,
    category_names: Mapping[str, str] | None = None,
) -> EligibilityResult:
    """Evaluate a referral against `policy` (None: the programme has no policy yet, so
    nothing is eligible).

    `category_codes` are the codes of the referral's offence categories; `ages` maps
    "harmed" and "responsible" to the ages of those people today (None where the date of
    birth is not known: an unknown age is not a reason to decline, the coordinator
    judges it); `category_names` turns codes into the names people read.
    """
    codes = list(dict.fromkeys(category_codes))
    names = category_names or {}

    def name(code: str) -> str:
        return names.get(code, code)

    if policy is None:
        return EligibilityResult(
            Decision.DECLINED,
            [_("The programme has no eligibility policy yet, so no referral can be accepted.")],
        )
    declines: list[str] = []
    if not codes:
        declines.append(_("The referral names no offence."))
    excluded = set(policy.excluded_categories)
    specialist = set(policy.specialist_categories)
    eligible = set(policy.eligible_categories)
    for code in codes:
        if code in excluded:
            declines.append(
                _("%(category)s is excluded by the programme's eligibility policy.")
                % {"category": name(code)}
            )
        elif code not in specialist and code not in eligible:
            declines.append(
                _(
                    "%(category)s is not covered by the programme's eligibility policy, "
                    "so it cannot be accepted."
                )
                % {"category": name(code)}
            )
    declines.extend(_age_reasons(policy, ages))
    if not evidential_basis_confirmed:
        declines.append(_("The referrer has not confirmed that there is an evidential basis."))
    if declines:
        return EligibilityResult(Decision.DECLINED, declines)
    under_protocol = [code for code in codes if code in specialist]
    if under_protocol:
        return EligibilityResult(
            Decision.ACCEPTED_SPECIALIST,
            [
                _("%(category)s is eligible only under the specialist protocol.")
                % {"category": name(code)}
                for code in under_protocol
            ],
        )
    return EligibilityResult(
        Decision.ACCEPTED,
        [
            _("Every offence is eligible under version %(version)s of the policy.")
            % {"version": policy.version}
        ],
    )


def _age_reasons(policy: PolicyRules, ages: Mapping[str, Sequence[int | None]]) -> list[str]:
    reasons = []
    limits = (
        (
            HARMED,
            policy.minimum_age_harmed,
            _("A person harmed is younger than the programme's minimum age (%(age)s)."),
        ),
        (
            RESPONSIBLE,
            policy.minimum_age_responsible,
            _("A person responsible is younger than the programme's minimum age (%(age)s)."),
        ),
    )
    for role, minimum, message in limits:
        if minimum is None:
            continue
        if any(age is not None and age < minimum for age in ages.get(role, ())):
            reasons.append(message % {"age": minimum})
    return reasons
