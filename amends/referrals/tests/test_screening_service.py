"""G1 at screening: the decision under the current policy, recorded with its reasons,
version, author and time; a decline goes back to the referrer at once with its reason."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.services import GateRefused, case_transition
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes.models import EligibilityPolicy
from amends.referrals.services import OffenceInput, referral_decide
from amends.referrals.tests.helpers import category, responsible, submit, to_screening

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def screened(cast, *codes, actor=None, **changes):
    offences = [OffenceInput(category(cast.programme, code)) for code in codes or ("violence",)]
    return to_screening(
        submit(actor or cast.referrer, cast.programme, offences=offences, **changes)
    )


def new_policy_version(programme, **rules):
    current = EligibilityPolicy.objects.filter(programme=programme).latest("version")
    values = {
        "eligible_categories": current.eligible_categories,
        "specialist_categories": current.specialist_categories,
        "excluded_categories": current.excluded_categories,
        "minimum_age_harmed": current.minimum_age_harmed,
        "minimum_age_responsible": current.minimum_age_responsible,
    }
    values.update(rules)
    return EligibilityPolicy.objects.create(
        programme=programme, version=current.version + 1, **values
    )


@pytest.mark.gate("G1")
def test_an_eligible_referral_is_accepted_with_reasons_policy_version_author_and_time(cast):
    # given
    case = screened(cast, "violence")
    policy = EligibilityPolicy.objects.get(programme=cast.programme, version=1)
    # when
    referral = referral_decide(actor=cast.coordinator, case=case)
    # then
    referral.refresh_from_db()
    assert referral.decision == "accepted"
    assert referral.decision_policy == policy
    assert referral.decided_by == cast.coordinator
    assert referral.decided_at is not None
    assert referral.decision_reasons == ["Every offence is eligible under version 1 of the policy."]
    case.refresh_from_db()
    assert case.stage == "screening"  # moving on is a separate step
    event = AuditEvent.objects.get(action="referral.decided")
    assert event.data["policy_version"] == 1
    assert event.data["decision"] == {"old": "pending", "new": "accepted"}


@pytest.mark.gate("G1")
def test_a_sensitive_category_is_accepted_under_the_specialist_protocol(cast):
    case = screened(cast, "domestic-abuse")
    referral = referral_decide(actor=cast.supervisor, case=case)
    assert referral.decision == "accepted_specialist"
    assert referral.decision_reasons == [
        "Domestic abuse is eligible only under the specialist protocol."
    ]


@pytest.mark.gate("G1")
def test_the_decision_uses_the_current_policy_version_not_the_one_at_intake(cast):
    case = screened(cast, "property")
    new_policy_version(cast.programme, excluded_categories=["property"])
    before = domain_snapshot()
    with pytest.raises(GateRefused) as refusal:
        referral_decide(actor=cast.coordinator, case=case)
    assert refusal.value.reasons == [
        "Property (theft, burglary, criminal damage) is excluded by the programme's "
        "eligibility policy."
    ]
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (
            lambda cast: screened(cast, "violence", evidential_basis_confirmed=False),
            "The referrer has not confirmed that there is an evidential basis.",
        ),
        (
            lambda cast: screened(
                cast,
                "violence",
                people=[responsible(date_of_birth=TODAY.replace(year=TODAY.year - 9))],
            ),
            "A person responsible is younger than the programme's minimum age (10).",
        ),
        (
            lambda cast: (
                new_policy_version(
                    cast.programme,
                    eligible_categories=["property"],
                    specialist_categories=[],
                ),
                screened(cast, "violence"),
            )[1],
            "Violence against the person is not covered by the programme's eligibility "
            "policy, so it cannot be accepted.",
        ),
    ],
    ids=["no evidential basis", "too young", "category not in the policy"],
)
def test_an_ineligible_referral_cannot_be_accepted_and_nothing_changes(cast, setup, reason):
    case = setup(cast)
    before = domain_snapshot()
    with pytest.raises(GateRefused) as refusal:
        referral_decide(actor=cast.coordinator, case=case)
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
def test_a_decline_returns_the_referral_to_the_referrer_with_its_reason_and_closes_the_case(
    cast, django_capture_on_commit_callbacks
):
    # given
    case = screened(cast, "violence")
    mail.outbox.clear()
    # when
    with_reason = "The programme does not take cases where the court has already sentenced."
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_decide(
            actor=cast.coordinator,
            case=case,
            decline=True,
            reason_for_referrer=with_reason,
            note="Spoke to the officer; internal note.",
        )
    # then
    case.refresh_from_db()
    assert referral.decision == "declined"
    assert referral.reason_for_referrer == with_reason
    assert "declined as unsuitable" in referral.decision_reasons[-1]
    assert case.stage == "closed"
    assert case.closure_reason == "returned"
    assert case.closure_note == "Spoke to the officer; internal note."
    assert [message.to for message in mail.outbox] == [[cast.referrer.email]]
    assert case.reference in mail.outbox[0].body
    assert with_reason not in mail.outbox[0].body  # read signed in, never by e-mail
    event = AuditEvent.objects.get(action="referral.decided")
    assert with_reason not in str(event.data)
    assert "internal note" not in str(event.data)


@pytest.mark.gate("G1")
def test_an_ineligible_referral_is_declined_with_the_policys_reasons(cast):
    case = screened(cast, "violence", evidential_basis_confirmed=False)
    referral = referral_decide(
        actor=cast.coordinator, case=case, decline=True, reason_for_referrer="No evidence."
    )
    assert referral.decision_reasons == [
        "The referrer has not confirmed that there is an evidential basis."
    ]


@pytest.mark.gate("G1")
def test_a_decline_needs_a_reason_written_for_the_referrer(cast):
    case = screened(cast, "violence")
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        referral_decide(actor=cast.coordinator, case=case, decline=True, reason_for_referrer="  ")
    assert refusal.value.reasons == ["Write the reason the referrer will read."]
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
@pytest.mark.parametrize(
    "name",
    ["facilitator", "advocate", "referrer", "evaluator", "administrator", "other_supervisor"],
)
def test_only_coordinators_and_supervisors_decide(cast, name):
    case = screened(cast, "violence")
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        referral_decide(actor=cast.users[name], case=case)
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
def test_the_decision_is_made_during_screening_only(cast):
    case = submit(cast.referrer, cast.programme)
    before = domain_snapshot()
    with pytest.raises(ConflictError) as refusal:
        referral_decide(actor=cast.coordinator, case=case)
    assert refusal.value.message == "Start screening on the case page before deciding eligibility."
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
def test_deciding_again_the_same_way_under_the_same_policy_changes_nothing(cast):
    case = screened(cast, "violence")
    referral_decide(actor=cast.coordinator, case=case)
    before = domain_snapshot()
    referral_decide(actor=cast.supervisor, case=case)
    assert domain_snapshot() == before
    assert AuditEvent.objects.filter(action="referral.decided").count() == 1


@pytest.mark.gate("G1")
def test_an_accepted_referral_may_still_be_declined_during_screening(cast):
    case = screened(cast, "violence")
    referral_decide(actor=cast.coordinator, case=case)
    referral = referral_decide(
        actor=cast.coordinator, case=case, decline=True, reason_for_referrer="Not suitable now."
    )
    assert referral.decision == "declined"
    case.refresh_from_db()
    assert case.stage == "closed"


@pytest.mark.gate("G1")
def test_a_decision_recorded_here_opens_the_g1_gate_of_the_case(cast):
    case = screened(cast, "violence")
    referral_decide(actor=cast.coordinator, case=case)
    moved = case_transition(
        actor=cast.coordinator,
        case=case,
        target="contact",
        next_action="Call the person harmed",
        next_action_due=TODAY + datetime.timedelta(days=2),
    )
    assert moved.stage == "contact"


def test_a_staff_intake_sends_no_status_email(cast, django_capture_on_commit_callbacks):
    case = screened(cast, "violence", actor=cast.coordinator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral_decide(actor=cast.coordinator, case=case)
    assert mail.outbox == []
