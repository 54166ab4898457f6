"""The steps the daily sweep takes for an item not kept on time: first a reminder, then a
review meeting (G11; UN Basic Principles 17). The third step, a referral back, is a
person's decision with a reason (`agreement_item_refer_back`).

The coordinator gets a task and the people working on the case an e-mail that names
only the case reference, and asks them to look at the item with the people concerned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import membership_list_for_programme
from amends.agreements import jobs
from amends.agreements.models import AgreementItem, ComplianceStep, ComplianceStepKind
from amends.agreements.selectors import items_past_due
from amends.agreements.services.common import lock_case, reread_item
from amends.agreements.services.tasks import item_task_key
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.workdays import add_working_days
from amends.programmes.selectors import settings_for
from amends.tasks.models import TaskKind
from amends.tasks.services import task_create

SWEEP_STEPS = (ComplianceStepKind.REMINDER, ComplianceStepKind.REVIEW)
TASK_WORKING_DAYS = {ComplianceStepKind.REMINDER: 2, ComplianceStepKind.REVIEW: 10}


def _title(step: str, case: Case) -> str:
    if step == ComplianceStepKind.REMINDER:
        return _("An agreement item in case %(reference)s is past its due date: remind") % {
            "reference": case.reference
        }
    return _("Hold a review meeting about an agreement item in case %(reference)s") % {
        "reference": case.reference
    }


def compliance_step_take(
    *, item: AgreementItem, step: str, today: datetime.date
) -> ComplianceStep | None:
    """Take a sweep step (reminder or review) for an item still to be done, once: the
    step row, a task for the case's coordinator, an e-mail to the people working on the
    case after the commit. Returns None when the step was already taken or the item no
    longer runs. The system acts (no actor).
    """
    if step not in SWEEP_STEPS:
        raise ValueError(f"the sweep takes only {SWEEP_STEPS}, not {step!r}")
    with transaction.atomic():
        case = lock_case(item.agreement.case_id)
        fresh = reread_item(item)
        if not fresh.is_live or fresh.compliance_steps.filter(step=step).exists():
            return None
        try:
            with transaction.atomic():
                taken = ComplianceStep.objects.create(item=fresh, step=step, taken_on=today)
        except IntegrityError:
            return None
        task_create(
            actor=None,
            programme=case.programme,
            title=_title(step, case),
            due_on=add_working_days(today, TASK_WORKING_DAYS[ComplianceStepKind(step)]),
            kind=TaskKind.AGREEMENT_NOT_KEPT,
            case=case,
            key=item_task_key(fresh, step),
        )
        audit_record(
            actor=None,
            action=Action.AGREEMENT_ITEM_FOLLOWED_UP,
            target=fresh,
            programme=case.programme,
            data={"case": case.pk, "step": step, "due_on": fresh.due_on.isoformat()},
        )
        user_ids = [user.pk for user in _people_to_tell(case)]
        transaction.on_commit(
            lambda: jobs.send_item_not_kept_notice.enqueue(
                case_id=case.pk, step=step, user_ids=user_ids
            )
        )
    return taken


def _people_to_tell(case: Case) -> list[User]:
    """The assigned facilitators and the coordinator (every coordinator of the programme
    when the case has none), each once."""
    people = [
        assignment.facilitator
        for assignment in case.assignments.select_related("facilitator").order_by("id")
    ]
    if case.coordinator is not None:
        people.append(case.coordinator)
    else:
        people.extend(
            membership.user
            for membership in membership_list_for_programme(case.programme_id)
            if membership.role == Role.COORDINATOR
        )
    return list({user.pk: user for user in people if user.is_active}.values())


@dataclass
class ComplianceSweepReport:
    reminders: list[ComplianceStep] = field(default_factory=list)
    reviews: list[ComplianceStep] = field(default_factory=list)


def agreement_compliance_sweep(today: datetime.date) -> ComplianceSweepReport:
    """The daily sweep over items in force that are still to be done: an item past its due
    date by more than the programme's grace days gets a reminder; one still not done the
    grace days after its reminder gets a review meeting. Items of paused or closed cases
    wait. Idempotent: each step is taken once per item.
    """
    report = ComplianceSweepReport()
    graces: dict[int, datetime.timedelta] = {}
    for item, steps in items_past_due(today):
        programme = item.agreement.case.programme
        if programme.pk not in graces:
            days = settings_for(programme).agreement_grace_days
            graces[programme.pk] = datetime.timedelta(days=days)
        grace = graces[programme.pk]
        reminder = steps.get(ComplianceStepKind.REMINDER)
        if reminder is None and item.due_on + grace < today:
            step, taken_list = ComplianceStepKind.REMINDER, report.reminders
        elif (
            reminder is not None
            and ComplianceStepKind.REVIEW not in steps
            and reminder.taken_on + grace < today
        ):
            step, taken_list = ComplianceStepKind.REVIEW, report.reviews
        else:
            continue
        taken = compliance_step_take(item=item, step=step, today=today)
        if taken is not None:
            taken_list.append(taken)
    return report
