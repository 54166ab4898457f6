"""Planning follow-up check-ins when the process ends, recording how each went, and
recording that follow-up with someone is not possible."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Membership, User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.core.errors import ApplicationError, ConflictError
from amends.core.workdays import add_working_days
from amends.followups import selectors
from amends.followups.models import (
    CALL_OUTCOMES,
    HIGHEST_WELLBEING,
    LOWEST_WELLBEING,
    CheckIn,
    CheckInStatus,
)
from amends.followups.permissions import check_in_policy
from amends.followups.services._common import locked_open_case
from amends.tasks.models import TaskKind
from amends.tasks.services import SUPPORT_WORKING_DAYS, task_create, tasks_complete_by_key

LONGEST_NOTES = 5000
LONGEST_REASON = 2000


def follow_up_plan(*, actor: User | None, case: Case) -> list[CheckIn]:
    """Plan the follow-up check-ins of a case whose process has ended, and return every
    check-in of the case.

    One check-in per key participant (not someone whose withdrawal stands) per offset of
    the programme (`follow_up_offsets_days`), due that many days after the case entered
    `follow_up` (today if it has not); each with a "follow-up check-in" task assigned to
    the case's first assigned facilitator, else its coordinator. Idempotent: a check-in
    that exists is left as it is, so calling this again changes nothing (and plans only
    for someone added since). `actor` None is the system; anyone else must be allowed to
    work on the case (PermissionRefused). A closed case is refused (ApplicationError).
    """
    with transaction.atomic():
        locked = locked_open_case(case.pk)
        if actor is not None:
            case_policy.require(actor, "work", locked)
        start = selectors.follow_up_start(locked)
        existing = set(
            CheckIn.objects.filter(case=locked).values_list("participant_id", "offset_days")
        )
        wanted = [
            (participant, days)
            for participant in selectors.followed_up_participants(locked)
            for days in selectors.follow_up_offsets(locked.programme)
            if (participant.pk, days) not in existing
        ]
        if not wanted:
            return _check_ins_of(locked)
        assignee = _assignee(locked)
        created = []
        for participant, days in wanted:
            check_in = CheckIn.objects.create(
                case=locked,
                participant=participant,
                offset_days=days,
                due_on=start + datetime.timedelta(days=days),
            )
            created.append(check_in)
            task_create(
                actor=actor,
                programme=locked.programme,
                title=_check_in_title(participant, days),
                due_on=check_in.due_on,
                kind=TaskKind.FOLLOW_UP_DUE,
                case=locked,
                participant=participant,
                assignee=assignee,
                key=selectors.check_in_task_key(check_in),
            )
        audit_record(
            actor=actor,
            action=Action.FOLLOW_UP_PLANNED,
            target=locked,
            programme=locked.programme,
            data={
                "check_ins": [check_in.pk for check_in in created],
                "participants": sorted({check_in.participant_id for check_in in created}),
                "offsets_days": sorted({check_in.offset_days for check_in in created}),
                "start": start.isoformat(),
            },
        )
        return _check_ins_of(locked)


def _check_ins_of(case: Case) -> list[CheckIn]:
    return list(CheckIn.objects.filter(case=case).order_by("due_on", "participant_id", "id"))


def _assignee(case: Case) -> User | None:
    """The first assigned facilitator who still holds a role in the programme; else
    None, which the task list reads as "the case's coordinator"."""
    for assignment in case.assignments.select_related("facilitator").order_by("created_at", "id"):
        facilitator = assignment.facilitator
        if (
            facilitator.is_active
            and Membership.objects.filter(user=facilitator, programme_id=case.programme_id).exists()
        ):
            return facilitator
    return None


def _check_in_title(participant: Participant, days: int) -> str:
    # No name: task titles appear in lists that are not audited as views of a person.
    from amends.cases.selectors import role_label

    return _("Follow-up check-in with the %(role)s, %(days)d days after the process") % {
        "role": role_label(participant.role, participant.case.programme),
        "days": days,
    }


def _record_problems(
    outcome: str,
    occurred_on: object,
    notes: str,
    wellbeing: object,
    further_support_needed: bool,
) -> list[str]:
    reasons = []
    if outcome not in CALL_OUTCOMES:
        reasons.append(_("Choose how the check-in went."))
    if not isinstance(occurred_on, datetime.date) or isinstance(occurred_on, datetime.datetime):
        reasons.append(_("Give the date of the call."))
    elif occurred_on > timezone.localdate():
        reasons.append(_("The date of the call cannot be in the future."))
    if wellbeing is not None and (
        not isinstance(wellbeing, int)
        or isinstance(wellbeing, bool)
        or not LOWEST_WELLBEING <= wellbeing <= HIGHEST_WELLBEING
    ):
        reasons.append(_("Wellbeing must be a whole number from 1 to 5."))
    if outcome != CheckInStatus.REACHED and (wellbeing is not None or further_support_needed):
        reasons.append(
            _(
                "Wellbeing and the need for further support are recorded only after "
                "speaking with the person."
            )
        )
    if len(notes) > LONGEST_NOTES:
        reasons.append(
            _("Keep the notes to %(count)d characters or fewer.") % {"count": LONGEST_NOTES}
        )
    return reasons


def check_in_record(
    *,
    actor: User,
    check_in: CheckIn,
    outcome: str,
    occurred_on: datetime.date,
    notes: str = "",
    wellbeing: int | None = None,
    further_support_needed: bool = False,
) -> CheckIn:
    """Record how a check-in went: reached, not reached or declined, with the date of the
    call and notes (encrypted); after speaking with the person, their wellbeing (1–5) and
    whether they need further support. The check-in's task is completed; further support
    needed makes a task to consider a support referral (due in 2 working days).

    Only the people working on the case may record (PermissionRefused). Raises
    ApplicationError, changing nothing, on bad input or a closed case, and ConflictError
    when the check-in is already recorded.
    """
    notes = notes.strip()
    reasons = _record_problems(outcome, occurred_on, notes, wellbeing, further_support_needed)
    if reasons:
        raise ApplicationError(_("The check-in was not recorded."), reasons=reasons)
    with transaction.atomic():
        case = locked_open_case(check_in.case_id)
        locked = (
            CheckIn.objects.select_for_update().select_related("participant").get(pk=check_in.pk)
        )
        check_in_policy.require(actor, "record", locked)
        if locked.is_recorded:
            raise ConflictError(_("This check-in is already recorded."))
        if occurred_on < timezone.localdate(case.created_at):
            raise ApplicationError(
                _("The check-in was not recorded."),
                reasons=[_("The date of the call cannot be before the case began.")],
            )
        locked.status = outcome
        locked.occurred_on = occurred_on
        locked.notes = notes
        locked.wellbeing = wellbeing
        locked.further_support_needed = further_support_needed
        locked.recorded_by = actor
        locked.recorded_at = timezone.now()
        locked.save(update_fields=[*_RECORDED_FIELDS, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.CHECK_IN_RECORDED,
            target=locked,
            programme=case.programme,
            # Wellbeing and notes are about the person: the log names only what was filled.
            data={
                "case": case.pk,
                "participant": locked.participant_id,
                "outcome": outcome,
                "offset_days": locked.offset_days,
                "fields": [name for name in ("notes", "wellbeing") if getattr(locked, name)],
                "further_support_needed": further_support_needed,
            },
        )
        tasks_complete_by_key(actor=actor, key=selectors.check_in_task_key(locked))
        if further_support_needed:
            _suggest_support_referral(actor, case, locked)
    return locked


_RECORDED_FIELDS = (
    "status",
    "occurred_on",
    "notes",
    "wellbeing",
    "further_support_needed",
    "recorded_by",
    "recorded_at",
)


def _suggest_support_referral(actor: User, case: Case, check_in: CheckIn) -> None:
    from amends.cases.selectors import role_label

    task_create(
        actor=actor,
        programme=case.programme,
        title=_("Consider a support referral: the %(role)s needs further support")
        % {"role": role_label(check_in.participant.role, case.programme)},
        due_on=add_working_days(timezone.localdate(), SUPPORT_WORKING_DAYS),
        kind=TaskKind.SUPPORT_REFERRAL_DUE,
        case=case,
        participant=check_in.participant,
        assignee=_assignee(case),
        key=selectors.support_suggestion_task_key(check_in),
    )


def follow_up_not_possible(*, actor: User, participant: Participant, reason: str) -> list[CheckIn]:
    """Record that follow-up with a participant is not possible, and why (encrypted): each
    of their check-ins not yet recorded is closed with the reason and its task completed,
    so the case may close. Returns the check-ins closed.

    Only the people working on the case may record it (PermissionRefused). Raises
    ApplicationError, changing nothing, without a reason, on a closed case or when no
    follow-up is planned with the person, and ConflictError when every check-in with
    them is already recorded.
    """
    reason = reason.strip()
    if not reason or len(reason) > LONGEST_REASON:
        raise ApplicationError(
            _("Follow-up was not recorded as not possible."),
            reasons=[
                _("Say why follow-up is not possible, in %(count)d characters or fewer.")
                % {"count": LONGEST_REASON}
            ],
        )
    with transaction.atomic():
        case = locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        check_ins = list(
            CheckIn.objects.select_for_update().filter(participant_id=participant.pk).order_by("id")
        )
        if not check_ins:
            raise ApplicationError(
                _("Follow-up was not recorded as not possible."),
                reasons=[_("No follow-up check-in is planned with this person.")],
            )
        pending = [check_in for check_in in check_ins if not check_in.is_recorded]
        if not pending:
            raise ConflictError(_("Every check-in with this person is already recorded."))
        now = timezone.now()
        for check_in in pending:
            check_in.status = CheckInStatus.NOT_POSSIBLE
            check_in.notes = reason
            check_in.recorded_by = actor
            check_in.recorded_at = now
            check_in.save(
                update_fields=["status", "notes", "recorded_by", "recorded_at", "updated_at"]
            )
            tasks_complete_by_key(actor=actor, key=selectors.check_in_task_key(check_in))
        audit_record(
            actor=actor,
            action=Action.FOLLOW_UP_NOT_POSSIBLE,
            target=participant,
            programme=case.programme,
            data={"case": case.pk, "check_ins": [check_in.pk for check_in in pending]},
        )
    return pending
