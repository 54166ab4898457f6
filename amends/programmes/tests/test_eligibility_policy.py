"""The eligibility policy (G1) is versioned: publishing makes version max+1, earlier
versions never change, and every category in use gets exactly one rule."""

from __future__ import annotations

from typing import Any

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import EligibilityPolicy, OffenceCategory
from amends.programmes.services import eligibility_policy_publish, offence_category_update

SENSITIVE = ["domestic-abuse", "sexual-harm", "trafficking", "hate-crime", "child-victim"]


def _publish(cast, actor="supervisor", **overrides):
    arguments: dict[str, Any] = {
        "eligible_categories": ["property", "violence"],
        "specialist_categories": SENSITIVE,
        "excluded_categories": ["other"],
        "minimum_age_harmed": None,
        "minimum_age_responsible": 12,
        "conditions": "Both parties live in Northshire.",
    }
    arguments.update(overrides)
    return eligibility_policy_publish(
        actor=cast.users[actor], programme=cast.programme, **arguments
    )


def _rows(programme):
    return list(EligibilityPolicy.objects.filter(programme=programme).order_by("version").values())


@pytest.mark.gate("G1")
def test_publishing_makes_the_next_version_and_leaves_the_old_one_untouched(cast):
    old = _rows(cast.programme)
    # when
    policy = _publish(cast)
    # then
    assert policy.version == 2
    assert selectors.current_eligibility_policy(cast.programme) == policy
    assert _rows(cast.programme)[:1] == old
    assert policy.excluded_categories == ["other"]
    assert policy.created_by == cast.supervisor
    event = AuditEvent.objects.get(
        action=Action.ELIGIBILITY_POLICY_VERSIONED, actor=cast.supervisor
    )
    assert event.data["version"] == 2
    assert event.data["previous_version"] == 1
    assert event.data["conditions_changed"] is True


def test_lists_are_stored_in_the_taxonomy_order_each_code_once(cast):
    policy = _publish(cast, specialist_categories=list(reversed(SENSITIVE)) + ["trafficking"])
    assert policy.specialist_categories == SENSITIVE


def test_publishing_the_current_rules_again_makes_no_new_version(cast):
    _publish(cast)
    before = AuditEvent.objects.count()
    again = _publish(cast, actor="administrator", conditions="  Both parties live in Northshire. ")
    assert again.version == 2
    assert EligibilityPolicy.objects.filter(programme=cast.programme).count() == 2
    assert AuditEvent.objects.count() == before


def test_a_category_no_longer_in_use_may_be_left_out(cast):
    offence_category_update(
        actor=None,
        category=OffenceCategory.objects.get(programme=cast.programme, code="other"),
        is_active=False,
    )
    policy = _publish(cast, excluded_categories=[])
    assert "other" not in policy.excluded_categories


@pytest.mark.gate("G1")
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"excluded_categories": ["other", "parking"]}, "“parking” is not an offence category"),
        (
            {"excluded_categories": ["other", "violence"]},
            "“Violence against the person” is in more than one list",
        ),
        ({"excluded_categories": []}, "Say whether “Other” is eligible"),
        (
            {
                "eligible_categories": ["property", "violence", "hate-crime"],
                "specialist_categories": SENSITIVE[:3] + ["child-victim"],
            },
            "“Hate crime” is sensitive, so it can only be eligible under the specialist protocol",
        ),
        ({"minimum_age_harmed": -1}, "The minimum age of the person harmed must be a whole number"),
        ({"minimum_age_responsible": 121}, "The minimum age of the person responsible must be"),
        ({"minimum_age_responsible": "ten"}, "The minimum age of the person responsible must be"),
        ({"conditions": "x" * 5001}, "5000 characters or fewer"),
    ],
)
def test_a_policy_that_breaks_a_rule_is_refused_with_a_reason_and_nothing_is_published(
    cast, overrides, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _publish(cast, **overrides)
    assert refusal.value.message == "The eligibility policy was not published."
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "advocate", "evaluator", "no_role"])
def test_only_administrators_and_supervisors_may_publish_a_policy(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        _publish(cast, actor=name)
    assert domain_snapshot() == before
