"""The agreement and outcome report policies: their two faces agree for every member of
the cast, and each action is decided by the role the issue names."""

from __future__ import annotations

import pytest

from amends.agreements.models import LegalBasis
from amends.agreements.permissions import agreement_policy, outcome_report_policy
from amends.agreements.services import outcome_report_issue
from conftest import CAST_MEMBERS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(CAST_MEMBERS))
def test_can_view_and_visible_to_agree(cast, case, name):
    outcome_report_issue(actor=cast.coordinator, case=case, legal_basis=LegalBasis.CONSENT)
    user = cast.users[name]
    for policy in (agreement_policy, outcome_report_policy):
        listed = policy.visible_to(user).filter(pk=case.pk).exists()
        assert listed == policy.can(user, "view", case), (policy, name)


def test_who_may_do_what_with_an_agreement(cast, case):
    can = {
        name: {
            action: agreement_policy.can(cast.users[name], action, case)
            for action in agreement_policy.actions
        }
        for name in ("coordinator", "supervisor", "facilitator", "advocate", "referrer")
    }
    assert can["coordinator"] == {"view": True, "work": True, "manage": True, "confirm": False}
    assert can["supervisor"] == {"view": True, "work": True, "manage": True, "confirm": True}
    assert can["facilitator"] == {"view": True, "work": True, "manage": False, "confirm": False}
    assert can["advocate"] == {"view": True, "work": False, "manage": False, "confirm": False}
    assert not any(can["referrer"].values())


def test_the_referrer_sees_the_report_only_once_issued(cast, case):
    assert not outcome_report_policy.can(cast.referrer, "view", case)
    outcome_report_issue(actor=cast.coordinator, case=case, legal_basis=LegalBasis.CONSENT)
    assert outcome_report_policy.can(cast.referrer, "view", case)
    assert not outcome_report_policy.can(cast.referrer, "issue", case)
    assert not outcome_report_policy.can(cast.facilitator, "view", case)
