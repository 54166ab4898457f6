"""Reminders when a partner does not answer a referral (G13: nothing falls through)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from amends.accounts.models import Membership
from amends.core.workdays import add_working_days, working_days_between
from amends.programmes.models import ProgrammeSettings
from amends.programmes.selectors import settings_for
from amends.support import selectors
from amends.support.models import SupportReferral
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import task_create


def support_no_answer_tasks(*, today: datetime.date) -> list[Task]:
    """For every referral still waiting for the partner's answer after the programme's
    `support_reply_days` working days, a "no answer" task for the person who referred
    (the case's coordinator when they no longer work in the programme). While no answer
    comes, a new reminder follows each further `support_reply_days` working days, but
    never while an earlier one is still open. A programme with 0 days sends none.
    Idempotent: running it twice on a day makes each task once. Returns the new tasks.
    """
    created = []
    reply_days: dict[int, int] = {}
    for referral in selectors.waiting_referrals():
        programme = referral.case.programme
        if programme.pk not in reply_days:
            reply_days[programme.pk] = _reply_days(settings_for(programme))
        days = reply_days[programme.pk]
        if days <= 0 or add_working_days(referral.sent_on, days) > today:
            continue
        window = working_days_between(referral.sent_on, today) // days
        key = f"{selectors.no_answer_key_prefix(referral)}{window}"
        if selectors.open_no_answer_keys(referral) or selectors.task_key_ever_made(key):
            continue
        created.append(_remind(referral, key, add_working_days(referral.sent_on, window * days)))
    return created


def _reply_days(settings: ProgrammeSettings) -> int:
    return int(settings.support_reply_days)


def _remind(referral: SupportReferral, key: str, due_on: datetime.date) -> Task:
    programme = referral.case.programme
    referrer = referral.referred_by
    still_here = (
        referrer.is_active
        and Membership.objects.filter(user=referrer, programme=programme).exists()
    )
    return task_create(
        actor=None,
        programme=programme,
        title=_(
            "No answer from %(partner)s to the support referral in case %(reference)s: ask them"
        )
        % {"partner": referral.partner.name, "reference": referral.case.reference},
        due_on=due_on,
        kind=TaskKind.SUPPORT_NO_ANSWER,
        case=referral.case,
        participant=referral.participant,
        assignee=referrer if still_here else None,
        key=key,
    )
