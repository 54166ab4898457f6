"""Every write to a case: opening it, moving it, pausing, resuming and closing it, and the
people and plans on it (CONVENTIONS "Services: the only writers").

One template throughout: lock the case row and re-read it, return early when nothing
changes, check permission and gates, write, audit in the same transaction. A move that a
gate refuses raises `GateRefused` with the unmet reasons and changes nothing.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases import gates
from amends.cases.models import REFERENCE_ALPHABET, Case, FacilitatorAssignment, StageChange
from amends.cases.permissions import case_policy
from amends.cases.selectors import case_facts
from amends.cases.stages import (
    COMPLETED_REASONS,
    OPEN_STAGES,
    STAGE_GATES,
    CaseStage,
    ClosureReason,
    MoveKind,
    PauseReason,
    transition_between,
    transitions_from,
)
from amends.core.errors import ApplicationError, ConflictError
from amends.core.workdays import add_working_days
from amends.facilitators.competence import facilitator_checks
from amends.programmes.models import ProcessType
from amends.programmes.selectors import settings_for
from amends.referrals.models import Referral

MAX_NEXT_ACTION_DAYS = 366


class GateRefused(ApplicationError):  # noqa: N818 - named for what the user hears
    """A move was refused because safeguards are not met; `reasons` lists them."""

    status_code = 409


def _new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"C-{body[:4]}-{body[4:]}"


def _require(actor: User | None, action: str, case: Case) -> None:
    # actor None is the system itself (a withdrawal's automatic pause, imports).
    if actor is not None:
        case_policy.require(actor, action, case)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("programme", "referral").get(pk=case.pk)


def _next_action_problems(next_action: str, due: datetime.date | None) -> list[str]:
    today = timezone.localdate()
    reasons = []
    if not next_action.strip():
        reasons.append(_("Say what the next action is."))
    if due is None:
        reasons.append(_("Give the date the next action is due."))
    elif due < today:
        reasons.append(_("The next action cannot be due in the past."))
    elif due > today + datetime.timedelta(days=MAX_NEXT_ACTION_DAYS):
        reasons.append(_("The next action must be due within a year."))
    return reasons


def case_open(*, actor: User | None, referral: Referral, coordinator: User | None = None) -> Case:
    """Open the case for a new referral, in the `referred` stage, with screening as its
    first next action (due in two working days)."""
    is_sensitive = referral.offences.filter(category__is_sensitive=True).exists()
    with transaction.atomic():
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    case = Case.objects.create(
                        programme=referral.programme,
                        referral=referral,
                        reference=_new_reference(),
                        coordinator=coordinator,
                        is_sensitive=is_sensitive,
                        next_action=_("Screen the referral"),
                        next_action_due=add_working_days(timezone.localdate(), 2),
                    )
                break
            except IntegrityError:
                if Case.objects.filter(referral=referral).exists():
                    raise ConflictError(_("This referral already has a case.")) from None
        else:
            raise ConflictError(_("No free case reference was found; try again."))
        StageChange.objects.create(
            case=case, from_stage="", to_stage=CaseStage.REFERRED, actor=actor
        )
        audit_record(
            actor=actor,
            action=Action.CASE_OPENED,
            target=case,
            programme=case.programme,
            data={"referral": referral.pk, "sensitive": is_sensitive},
        )
    return case


def _record_move(
    case: Case,
    *,
    actor: User | None,
    from_stage: str,
    action: Action,
    reason: str = "",
    note: str = "",
) -> None:
    StageChange.objects.create(
        case=case,
        from_stage=from_stage,
        to_stage=case.stage,
        actor=actor,
        reason=reason,
        note=note,
    )
    audit_record(
        actor=actor,
        action=action,
        target=case,
        programme=case.programme,
        data={"from": from_stage, "to": case.stage, "reason": reason},
    )


def _check_expected(case: Case, expected_stage: str | None) -> None:
    # Two people moving the same case: the second one's form was drawn for a stage the
    # case has left. Refusing is safer than applying a move they did not see.
    if expected_stage is not None and case.stage != expected_stage:
        raise ConflictError(
            _("Someone else moved this case to “%(stage)s” while you were working on it.")
            % {"stage": CaseStage(case.stage).label},
            reasons=[_("Look at the case again before you move it.")],
        )


def gate_results(
    case: Case,
    target: str,
    *,
    next_action: str | None = None,
    next_action_due: datetime.date | None = None,
    facts: gates.CaseFacts | None = None,
) -> list[gates.GateResult]:
    """The checklist for moving `case` to `target` (what the page shows, what the move checks).

    A page showing several checklists reads the facts once and passes them in `facts`.
    """
    transition = transition_between(case.stage, target)
    codes = STAGE_GATES.get(target, ()) if transition is None else transition.gates
    if facts is None:
        facts = case_facts(case, next_action=next_action, next_action_due=next_action_due)
    results = gates.evaluate(facts, codes)
    if transition is not None and transition.kind == MoveKind.FAST_TRACK:
        results.append(gates.GateResult(gates.FAST_TRACK, gates.fast_track(facts)))
    return results


def case_transition(
    *,
    actor: User | None,
    case: Case,
    target: str,
    next_action: str,
    next_action_due: datetime.date | None,
    expected_stage: str | None = None,
    note: str = "",
) -> Case:
    """Move a case along the workflow table, if every gate of the move is met.

    Raises GateRefused with the unmet reasons, ConflictError when someone else moved it
    first, ApplicationError for a move the table does not allow; each changes nothing.
    """
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "move", locked)
        _check_expected(locked, expected_stage)
        transition = transition_between(locked.stage, target)
        if transition is None:
            raise ApplicationError(
                _("A case cannot move from “%(source)s” to “%(target)s”.")
                % {
                    "source": CaseStage(locked.stage).label,
                    "target": CaseStage(target).label if target in CaseStage.values else target,
                }
            )
        problems = _next_action_problems(next_action, next_action_due)
        if problems:
            raise ApplicationError(_("The case was not moved."), reasons=problems)
        unmet = gates.unmet_reasons(
            gate_results(locked, target, next_action=next_action, next_action_due=next_action_due)
        )
        if unmet:
            raise GateRefused(_("The case is not ready to move yet."), reasons=unmet)
        from_stage = locked.stage
        locked.stage = target
        locked.next_action, locked.next_action_due = next_action.strip(), next_action_due
        locked.save(update_fields=["stage", "next_action", "next_action_due", "updated_at"])
        _record_move(
            locked,
            actor=actor,
            from_stage=from_stage,
            action=Action.CASE_MOVED,
            reason=transition.kind,
            note=note,
        )
        if target == CaseStage.FOLLOW_UP:
            # The process has ended: the check-ins with each participant become tasks.
            # Imported here because follow-ups build on cases.
            from amends.followups.services import follow_up_plan

            follow_up_plan(actor=actor, case=locked)
    return locked


def case_pause(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    note: str = "",
    expected_stage: str | None = None,
) -> Case:
    """Pause an open case at once, remembering its stage. Pausing a paused case does
    nothing (a second withdrawal must not lose where the case was). `expected_stage` is
    accepted for symmetry with the other moves and deliberately not enforced."""
    if reason not in PauseReason.values:
        raise ApplicationError(
            _("The case was not paused."), reasons=[_("Choose why the case is paused.")]
        )
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "pause", locked)
        if locked.stage == CaseStage.PAUSED:
            return locked
        # No _check_expected here: pausing for safety must work even if someone moved the
        # case a moment ago; the pause keeps whatever stage the case is in now.
        if locked.stage not in OPEN_STAGES:
            raise ApplicationError(_("A closed case cannot be paused."))
        from_stage = locked.stage
        locked.stage, locked.paused_from, locked.pause_reason = CaseStage.PAUSED, from_stage, reason
        locked.save(update_fields=["stage", "paused_from", "pause_reason", "updated_at"])
        _record_move(
            locked,
            actor=actor,
            from_stage=from_stage,
            action=Action.CASE_PAUSED,
            reason=reason,
            note=note,
        )
    return locked


def resume_gate_results(
    case: Case,
    *,
    next_action: str | None = None,
    next_action_due: datetime.date | None = None,
    facts: gates.CaseFacts | None = None,
) -> list[gates.GateResult]:
    """Resuming checks afresh everything the stage it returns to needs, and always G9:
    after a withdrawal only fresh consent lets the case go on."""
    codes = tuple(dict.fromkeys((*STAGE_GATES.get(case.paused_from, ()), "G9")))
    if facts is None:
        facts = case_facts(case, next_action=next_action, next_action_due=next_action_due)
    return gates.evaluate(facts, codes)


def case_resume(
    *,
    actor: User | None,
    case: Case,
    next_action: str,
    next_action_due: datetime.date | None,
    note: str = "",
) -> Case:
    """Return a paused case to the stage it was paused from, after fresh gate checks."""
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "move", locked)
        if locked.stage != CaseStage.PAUSED:
            raise ConflictError(_("The case is not paused."))
        problems = _next_action_problems(next_action, next_action_due)
        if problems:
            raise ApplicationError(_("The case was not resumed."), reasons=problems)
        unmet = gates.unmet_reasons(
            resume_gate_results(locked, next_action=next_action, next_action_due=next_action_due)
        )
        if unmet:
            raise GateRefused(_("The case cannot resume yet."), reasons=unmet)
        locked.stage, locked.paused_from, locked.pause_reason = locked.paused_from, "", ""
        locked.next_action, locked.next_action_due = next_action.strip(), next_action_due
        locked.save(
            update_fields=[
                "stage",
                "paused_from",
                "pause_reason",
                "next_action",
                "next_action_due",
                "updated_at",
            ]
        )
        _record_move(
            locked, actor=actor, from_stage=CaseStage.PAUSED, action=Action.CASE_RESUMED, note=note
        )
    return locked


def case_close(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    note: str = "",
    expected_stage: str | None = None,
) -> Case:
    """Close a case from any stage, always with a reason (and words when it is "other")."""
    reasons = []
    if reason not in ClosureReason.values:
        reasons.append(_("Choose why the case is closed."))
    if reason == ClosureReason.OTHER and not note.strip():
        reasons.append(_("Say why the case is closed."))
    if reasons:
        raise ApplicationError(_("The case was not closed."), reasons=reasons)
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "close", locked)
        if locked.stage == CaseStage.CLOSED:
            raise ConflictError(_("The case is already closed."))
        _check_expected(locked, expected_stage)
        if reason in COMPLETED_REASONS:
            unmet = _completion_problems(locked, reason, note)
            if unmet:
                raise GateRefused(_("The case cannot be closed as completed yet."), reasons=unmet)
        from_stage = locked.stage
        locked.stage, locked.paused_from, locked.pause_reason = CaseStage.CLOSED, "", ""
        locked.closure_reason, locked.closure_note = reason, note.strip()
        locked.closed_at = timezone.now()
        locked.save(
            update_fields=[
                "stage",
                "paused_from",
                "pause_reason",
                "closure_reason",
                "closure_note",
                "closed_at",
                "updated_at",
            ]
        )
        _record_move(
            locked, actor=actor, from_stage=from_stage, action=Action.CASE_CLOSED, reason=reason
        )
        # Nothing is left to do on a closed case. Imported here: tasks build on cases.
        from amends.tasks.services import tasks_close_for_case

        tasks_close_for_case(actor=actor, case=locked)
    return locked


def _completion_problems(case: Case, reason: str, note: str) -> list[str]:
    """A case closes as completed only after its process, with an agreement when it says
    so, and with follow-up done — or a closing note that says why follow-up is not."""
    facts = case_facts(case)
    problems = gates.process_held(facts)
    if reason == ClosureReason.COMPLETED_WITH_AGREEMENT:
        problems += gates.agreement_drafted(facts)
    if case.stage != CaseStage.FOLLOW_UP and not note.strip():
        problems.append(
            _(
                "Follow-up has not started: move the case to follow-up first, or say in "
                "the note why there is none."
            )
        )
    elif facts.follow_up_unmet and not note.strip():
        problems += list(facts.follow_up_unmet)
        problems.append(_("Or say in the note why follow-up cannot be completed."))
    return problems


def case_update_plan(
    *,
    actor: User | None,
    case: Case,
    next_action: str,
    next_action_due: datetime.date | None,
    process_type: str | None = None,
    region: str | None = None,
) -> Case:
    """Change the case's next action and, optionally, its planned process type and its
    region (where it happens: facilitator matching prefers people who work there)."""
    problems = _next_action_problems(next_action, next_action_due)
    if process_type and process_type not in ProcessType.values:
        problems.append(_("Choose a process type from the list."))
    if region is not None and len(region.strip()) > 80:  # the column's length
        problems.append(_("Write the region in at most 80 characters."))
    if problems:
        raise ApplicationError(_("The case was not changed."), reasons=problems)
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "work", locked)
        if locked.stage == CaseStage.CLOSED:
            raise ApplicationError(_("A closed case cannot be changed."))
        if process_type and process_type not in _offered(locked):
            raise ApplicationError(
                _("The case was not changed."),
                reasons=[_("The programme does not offer this process type.")],
            )
        new_values: dict[str, Any] = {
            "next_action": next_action.strip(),
            "next_action_due": next_action_due,
        }
        if process_type is not None:
            new_values["process_type"] = process_type
        if region is not None:
            new_values["region"] = region.strip()
        changed = {
            name: {"old": str(getattr(locked, name) or ""), "new": str(value or "")}
            for name, value in new_values.items()
            if getattr(locked, name) != value
        }
        if not changed:
            return locked
        for name, value in new_values.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.CASE_UPDATED,
            target=locked,
            programme=locked.programme,
            # Next-action text may name people: record that it changed, not what it says.
            data={"changed": {k: v if k != "next_action" else {} for k, v in changed.items()}},
        )
        if "process_type" in changed:
            locked = case_step_back_if_unsafe(case=locked)
    return locked


def _offered(case: Case) -> list[str]:
    return list(settings_for(case.programme).process_types)


def case_step_back_if_unsafe(*, case: Case) -> Case:
    """Keep the stage honest after a change to its facts (a new assessment, a new
    participant, another process, a thinner safety plan): while the case sits in a stage
    whose gates no longer hold and the table has a step back from it, the system steps it
    back, with a stage change and an audit event naming the unmet gates. Call inside the
    transaction that made the change; the case row is locked again (a no-op if held)."""
    locked = _lock(case)
    while True:
        back = next(
            (move for move in transitions_from(locked.stage) if move.kind == MoveKind.BACK),
            None,
        )
        if back is None:
            return locked
        results = gates.evaluate(case_facts(locked), STAGE_GATES[locked.stage])
        unmet = [result.gate.code for result in results if not result.passed]
        if not unmet:
            return locked
        from_stage = locked.stage
        locked.stage = back.target
        locked.save(update_fields=["stage", "updated_at"])
        _record_move(
            locked,
            actor=None,
            from_stage=from_stage,
            action=Action.CASE_MOVED,
            reason="gates_no_longer_met",
            note=", ".join(unmet),
        )


def case_assign_facilitator(
    *, actor: User | None, case: Case, facilitator: User, reason: str = ""
) -> FacilitatorAssignment:
    """Assign a facilitator who is competent for the case (G6, `facilitators.competence`):
    a facilitator of the programme, accredited today, holding the endorsements the case's
    offence categories require, with no declared conflict with its people, place or
    referrer.

    `reason` (why this facilitator: a matching suggestion, a batch run, a coordinator's
    choice against the suggestion) is kept in the audit event."""
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "assign", locked)
        if locked.stage == CaseStage.CLOSED:
            raise ApplicationError(_("A closed case cannot be changed."))
        existing = FacilitatorAssignment.objects.filter(
            case=locked, facilitator=facilitator
        ).first()
        if existing is not None:
            return existing
        # G6: accreditation, the endorsements the case needs, declared conflicts. The
        # warnings (supervision, CPD, currency) do not block and show on the case page.
        problems = facilitator_checks(
            case=locked, facilitators=[facilitator], today=timezone.localdate()
        )[facilitator.pk].problems
        if problems:
            raise GateRefused(_("This facilitator cannot be assigned."), reasons=problems)
        assignment = FacilitatorAssignment.objects.create(
            case=locked, facilitator=facilitator, assigned_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.FACILITATOR_ASSIGNED,
            target=locked,
            programme=locked.programme,
            data={"facilitator": facilitator.pk, "reason": reason[:500]},
        )
    return assignment


def case_unassign_facilitator(*, actor: User | None, case: Case, facilitator: User) -> None:
    """Take a facilitator off a case (the gates then need another one)."""
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "assign", locked)
        assigned = FacilitatorAssignment.objects.filter(case=locked)
        needs_one = "G6" in STAGE_GATES.get(locked.stage, ()) or (
            locked.stage == CaseStage.PAUSED and "G6" in STAGE_GATES.get(locked.paused_from, ())
        )
        if needs_one and list(assigned.values_list("facilitator_id", flat=True)) == [
            facilitator.pk
        ]:
            # G6 holds in these stages: taking off the only facilitator would leave a case
            # that passed its gates without anyone to run it.
            raise GateRefused(
                _("%(name)s is the only facilitator.") % {"name": facilitator},
                reasons=[_("Assign another facilitator first.")],
            )
        deleted, _rows = FacilitatorAssignment.objects.filter(
            case=locked, facilitator=facilitator
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action=Action.FACILITATOR_UNASSIGNED,
                target=locked,
                programme=locked.programme,
                data={"facilitator": facilitator.pk},
            )


def case_set_coordinator(*, actor: User | None, case: Case, coordinator: User | None) -> Case:
    """Give the case to a coordinator of its programme (or to nobody in particular)."""
    with transaction.atomic():
        locked = _lock(case)
        _require(actor, "assign", locked)
        if coordinator is not None and Role.COORDINATOR not in programme_roles(coordinator).get(
            locked.programme_id, frozenset()
        ):
            raise ApplicationError(
                _("The coordinator was not changed."),
                reasons=[
                    _("%(name)s is not a coordinator of this programme.") % {"name": coordinator}
                ],
            )
        if locked.coordinator_id == (coordinator.pk if coordinator else None):
            return locked
        old = locked.coordinator_id
        locked.coordinator = coordinator
        locked.save(update_fields=["coordinator", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.CASE_UPDATED,
            target=locked,
            programme=locked.programme,
            data={"changed": {"coordinator": {"old": old, "new": locked.coordinator_id}}},
        )
    return locked
