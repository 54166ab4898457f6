"""The offence taxonomy: categories are added and changed, never deleted or re-coded, and a
sensitive category can never be fast-tracked or plainly eligible."""

from __future__ import annotations

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import OffenceCategory
from amends.programmes.services import (
    eligibility_policy_publish,
    offence_category_add,
    offence_category_update,
)
from amends.programmes.tests.helpers import present

FAST_TRACK_REFUSAL = "A sensitive category can never be fast-tracked"


def _category(cast, code):
    return OffenceCategory.objects.get(programme=cast.programme, code=code)


def test_a_new_category_goes_last_and_is_audited(cast):
    # when
    category = offence_category_add(
        actor=cast.supervisor,
        programme=cast.programme,
        code=" Criminal-Damage ",
        name="Criminal damage",
        allows_fast_track=True,
    )
    # then
    assert category.code == "criminal-damage"
    assert list(selectors.offence_categories(cast.programme))[-1] == category
    event = AuditEvent.objects.get(action=Action.OFFENCE_CATEGORY_ADDED, actor=cast.supervisor)
    assert event.target_id == str(category.pk)
    assert event.data == {
        "code": "criminal-damage",
        "is_sensitive": False,
        "allows_fast_track": True,
    }


def test_a_new_category_has_no_eligibility_rule_until_a_policy_gives_it_one(cast):
    offence_category_add(actor=None, programme=cast.programme, code="fraud", name="Fraud")
    assert [c.code for c in selectors.categories_without_eligibility_rule(cast.programme)] == [
        "fraud"
    ]


@pytest.mark.parametrize(
    ("code", "name", "sensitive", "fast", "reason"),
    [
        ("", "Fraud", False, False, "Give the category a code."),
        ("Fraud & theft", "Fraud", False, False, "lower-case letters, digits and single hyphens"),
        ("fraud--big", "Fraud", False, False, "lower-case letters, digits and single hyphens"),
        ("x" * 41, "Fraud", False, False, "at most 40"),
        ("property", "Fraud", False, False, "The code “property” is already used"),
        ("fraud", "  ", False, False, "Give the category a name."),
        ("fraud", "y" * 121, False, False, "120 characters or fewer"),
        ("fraud", "other", False, False, "Another category is already called “other”."),
        ("stalking", "Stalking", True, True, FAST_TRACK_REFUSAL),
    ],
)
def test_a_bad_new_category_is_refused_with_a_reason_and_nothing_is_added(
    cast, code, name, sensitive, fast, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        offence_category_add(
            actor=cast.administrator,
            programme=cast.programme,
            code=code,
            name=name,
            is_sensitive=sensitive,
            allows_fast_track=fast,
        )
    assert refusal.value.message == "The category was not added."
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


def test_a_change_is_audited_with_old_and_new_values_and_the_code_stays(cast):
    category = _category(cast, "violence")
    # when
    offence_category_update(
        actor=cast.administrator, category=category, name="Violence", is_active=False
    )
    # then
    stored = _category(cast, "violence")
    assert (stored.name, stored.is_active) == ("Violence", False)
    event = AuditEvent.objects.get(action=Action.OFFENCE_CATEGORY_CHANGED)
    assert event.data == {
        "code": "violence",
        "changed": {
            "name": {"old": "Violence against the person", "new": "Violence"},
            "is_active": {"old": True, "new": False},
        },
    }


def test_saving_a_category_unchanged_records_nothing(cast):
    before = AuditEvent.objects.count()
    offence_category_update(actor=cast.supervisor, category=_category(cast, "other"), name="Other")
    assert AuditEvent.objects.count() == before


def test_a_sensitive_category_cannot_be_made_fast_track_and_nothing_changes(cast):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        offence_category_update(
            actor=cast.administrator,
            category=_category(cast, "domestic-abuse"),
            allows_fast_track=True,
        )
    assert refusal.value.message == "The category was not changed."
    assert any(FAST_TRACK_REFUSAL in reason for reason in refusal.value.reasons)
    assert domain_snapshot() == before


def test_a_fast_track_category_cannot_be_marked_sensitive_without_losing_the_fast_track(cast):
    # given property is plainly eligible and may be fast-tracked
    with pytest.raises(ApplicationError) as refusal:
        offence_category_update(
            actor=cast.administrator, category=_category(cast, "property"), is_sensitive=True
        )
    reasons = " ".join(refusal.value.reasons)
    assert FAST_TRACK_REFUSAL in reasons
    assert "makes “Property (theft, burglary, criminal damage)” eligible" in reasons
    assert _category(cast, "property").is_sensitive is False


def test_a_category_becomes_sensitive_once_the_policy_puts_it_under_the_specialist_protocol(cast):
    policy = present(selectors.current_eligibility_policy(cast.programme))
    # given violence is moved under the specialist protocol
    eligibility_policy_publish(
        actor=cast.supervisor,
        programme=cast.programme,
        eligible_categories=["property", "other"],
        specialist_categories=[*policy.specialist_categories, "violence"],
        excluded_categories=[],
        minimum_age_responsible=10,
    )
    # when
    offence_category_update(
        actor=cast.supervisor, category=_category(cast, "violence"), is_sensitive=True
    )
    # then
    assert _category(cast, "violence").is_sensitive is True


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "referrer", "other_supervisor"])
def test_only_administrators_and_supervisors_may_change_the_taxonomy(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        offence_category_add(actor=cast.users[name], programme=cast.programme, code="x", name="X")
    with pytest.raises(PermissionRefused):
        offence_category_update(
            actor=cast.users[name], category=_category(cast, "other"), name="Anything else"
        )
    assert domain_snapshot() == before
