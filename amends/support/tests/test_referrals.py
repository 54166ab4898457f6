"""Referring a participant to a partner, only with consent to share, and the closed loop."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.support.models import ReferralStatus
from amends.support.services import support_referral_update
from amends.support.tests.helpers import (
    COUNSELLING,
    add_partner,
    agree_to_share,
    harmed,
    refer,
    referred,
    responsible,
    withdraw_sharing,
)
from amends.tasks.models import Task
from amends.tasks.services import statutory_clock_tasks, support_task_key

TODAY = timezone.localdate


def test_a_referral_with_consent_to_share_is_sent_and_its_note_encrypted(cast, case):
    referral = referred(cast, case)
    assert (referral.status, referral.sent_on, referral.referred_by) == (
        ReferralStatus.SENT,
        TODAY(),
        cast.coordinator,
    )
    assert list(referral.events.values_list("status", flat=True)) == ["sent"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM support_supportreferral WHERE id = %s", [referral.pk])
        (stored,) = cursor.fetchone()
    assert "sleeping" not in stored
    event = AuditEvent.objects.get(action="support.referral_sent")
    assert "sleeping" not in str(event.data)


def test_without_consent_to_share_with_that_partner_nothing_is_sent(cast, case):
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case), partner_name="Shire Law Centre")
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, partner)
    assert refusal.value.message == "The referral was not sent."
    assert refusal.value.reasons == [
        "Hana H. (person harmed) has no active consent to share information with "
        f"{COUNSELLING}: record their consent first (consent page, “Share information with a "
        "partner”)."
    ]
    assert domain_snapshot() == before


def test_consent_names_the_partner_whatever_its_capitals_and_spacing(cast, case):
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case), partner_name="northshire   victim counselling")
    assert refer(cast, case, partner).status == ReferralStatus.SENT


def test_a_withdrawn_consent_to_share_stops_a_referral(cast, case):
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case))
    withdraw_sharing(cast, harmed(case))
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, partner)
    assert "has no active consent to share information" in refusal.value.reasons[0]


def test_a_minor_is_referred_on_a_guardians_consent_and_their_own_assent(cast):
    from amends.consent.tests.helpers import minor_case

    case, minor, guardian = minor_case(cast.programme, cast.coordinator)
    from amends.cases.services import case_assign_facilitator

    case_assign_facilitator(actor=cast.coordinator, case=case, facilitator=cast.facilitator)
    partner = add_partner(cast)
    agree_to_share(
        cast,
        minor,
        kind="guardian",
        given_by=guardian,
        method="verbal",
        witness="A colleague",
        signature_name="",
    )
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, partner, participant=minor)
    assert refusal.value.reasons == [
        f"Mia M. (person harmed) is under 18 and has not given their own assent to sharing "
        f"information with {COUNSELLING}."
    ]
    agree_to_share(cast, minor, kind="assent")
    assert refer(cast, case, partner, participant=minor).consent.kind == "guardian"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"service_type": "housing"}, f"{COUNSELLING} does not offer housing."),
        ({"service_type": "tarot"}, "Choose the service the person is referred for."),
        ({"sent_on": TODAY() + datetime.timedelta(days=1)}, "The date cannot be in the future."),
        ({"note": "x" * 4001}, "The note must be at most 4000 characters."),
    ],
)
def test_bad_referral_input_is_refused_with_a_reason_and_changes_nothing(
    cast, case, overrides, reason
):
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case))
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, partner, **overrides)
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


def test_a_partner_not_taking_referrals_is_refused(cast, case):
    partner = add_partner(cast, is_active=False)
    agree_to_share(cast, harmed(case))
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, partner)
    assert f"{COUNSELLING} does not take referrals at the moment." in refusal.value.reasons


def test_the_same_open_referral_is_not_sent_twice(cast, case):
    referral = referred(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        refer(cast, case, referral.partner)
    assert refusal.value.reasons == [
        "This person is already referred to this partner for this service."
    ]


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "administrator"])
def test_only_people_working_on_the_case_refer(cast, case, name):
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case))
    with pytest.raises(PermissionRefused):
        refer(cast, case, partner, actor=cast.users[name])


@pytest.mark.gate("G13")
def test_referring_the_person_harmed_completes_the_statutory_support_task(cast, case):
    statutory_clock_tasks(case=case)  # as referral intake starts them
    task = Task.objects.get(key=support_task_key(case))
    assert task.done_at is None
    referred(cast, case)
    task.refresh_from_db()
    assert task.done_at is not None


@pytest.mark.gate("G13")
def test_referring_the_person_responsible_leaves_the_statutory_support_task_open(cast, case):
    statutory_clock_tasks(case=case)
    partner = add_partner(cast, service_types=["substance_use"])
    agree_to_share(cast, responsible(case))
    refer(cast, case, partner, participant=responsible(case), service_type="substance_use")
    assert Task.objects.get(key=support_task_key(case)).done_at is None


def test_the_loop_runs_from_sent_to_accepted_to_completed_each_step_dated(cast, case):
    referral = referred(cast, case)
    referral = support_referral_update(
        actor=cast.facilitator, referral=referral, status="accepted", happened_on=TODAY()
    )
    referral = support_referral_update(
        actor=cast.facilitator,
        referral=referral,
        status="completed",
        happened_on=TODAY(),
        note="Six sessions.",
    )
    assert referral.status == ReferralStatus.COMPLETED
    assert list(referral.events.values_list("status", flat=True)) == [
        "sent",
        "accepted",
        "completed",
    ]
    assert AuditEvent.objects.filter(action="support.referral_changed").count() == 2


@pytest.mark.parametrize(
    ("path", "wanted", "reason"),
    [
        (
            [],
            "completed",
            "A referral that is sent, waiting for an answer cannot become completed.",
        ),
        (
            ["declined"],
            "accepted",
            "The referral is declined by the partner; it cannot change any more.",
        ),
        (["withdrawn"], "accepted", "The referral is withdrawn; it cannot change any more."),
    ],
)
def test_a_step_the_loop_does_not_allow_is_refused_and_changes_nothing(
    cast, case, path, wanted, reason
):
    referral = referred(cast, case)
    for status in path:
        referral = support_referral_update(
            actor=cast.coordinator, referral=referral, status=status, happened_on=TODAY()
        )
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        support_referral_update(
            actor=cast.coordinator, referral=referral, status=wanted, happened_on=TODAY()
        )
    assert refusal.value.reasons == [reason]
    assert domain_snapshot() == before


def test_a_step_dated_before_the_last_one_is_refused(cast, case):
    referral = referred(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        support_referral_update(
            actor=cast.coordinator,
            referral=referral,
            status="accepted",
            happened_on=TODAY() - datetime.timedelta(days=1),
        )
    assert refusal.value.reasons[0].startswith("The date cannot be before")


def test_the_advocate_may_not_move_a_referral_on(cast, case):
    referral = referred(cast, case)
    with pytest.raises(PermissionRefused):
        support_referral_update(
            actor=cast.advocate, referral=referral, status="withdrawn", happened_on=TODAY()
        )
