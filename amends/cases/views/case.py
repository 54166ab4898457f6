"""The case page and the moves made from it. Every view loads the case through the
policy (hidden → 404), calls one service, and shows its reasons when it refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.assessments.selectors import assessment_summaries, sign_off_status
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases import gates, services
from amends.cases.forms import (
    AssignForm,
    CloseForm,
    CoordinatorForm,
    MoveForm,
    PauseForm,
    PlanForm,
    ResumeForm,
)
from amends.cases.models import Case
from amends.cases.permissions import case_policy
from amends.cases.selectors import (
    case_assignable_facilitators,
    case_facts,
    case_page_participants,
    programme_members_listable,
    programme_members_with_role,
    stage_history,
)
from amends.cases.stages import STAGE_GATES, CaseStage, MoveKind, transitions_from
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.programmes.selectors import settings_for
from amends.safety.models import SafetyPlan
from amends.tasks.selectors import open_tasks_for_case

_STATUS_REFUSED = 400


def _case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(case_policy, request.user, action, reference=reference)


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _move_panels(
    case: Case, facts: gates.CaseFacts, *, fast_track_enabled: bool
) -> list[dict[str, Any]]:
    """One panel per move the table allows from here, each with its checklist; the fast
    track only in a programme that uses it (elsewhere it could never open)."""
    panels = []
    for transition in transitions_from(case.stage):
        if transition.kind == MoveKind.FAST_TRACK and not fast_track_enabled:
            continue
        results = services.gate_results(case, transition.target, facts=facts)
        panels.append(
            {
                "transition": transition,
                "results": results,
                "ready": all(result.passed for result in results),
                "form": MoveForm(
                    initial={
                        "target": transition.target,
                        "expected_stage": case.stage,
                        "next_action": "",
                        "next_action_due": case.next_action_due,
                    },
                    prefix=transition.target,
                ),
            }
        )
    return panels


def _page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    forms: dict[str, Form] | None = None,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    user = request.user
    settings = settings_for(case.programme)
    can = {action: case_policy.can(user, action, case) for action in case_policy.actions}
    # DESIGN §4: every page showing a case is audited, refusals included.
    audit_record(
        actor=_actor(request), action=Action.CASE_VIEWED, target=case, programme=case.programme
    )
    facts = case_facts(case)
    context: dict[str, Any] = {
        # The safeguards of the stage the case is in: they must go on holding there.
        "stage_results": gates.evaluate(facts, STAGE_GATES.get(case.stage, ())),
        "assessment_summaries": assessment_summaries(facts),
        "sign_off": sign_off_status(case, facts),
        "case": case,
        "referral": case.referral,
        "can": can,
        "participants": case_page_participants(case),
        "assignments": case.assignments.select_related("facilitator"),
        # G6 for each assigned facilitator, as the checklist read it: the warnings show
        # next to their names.
        "standing": {facilitator.pk: facilitator for facilitator in facts.facilitators},
        "safety_plan": SafetyPlan.objects.filter(case=case).first(),
        "history": stage_history(case),
        "tasks": open_tasks_for_case(case),
        "move_panels": (
            _move_panels(case, facts, fast_track_enabled=settings.fast_track_enabled)
            if case.stage not in ("paused", "closed")
            else []
        ),
        "resume_results": (
            services.resume_gate_results(case, facts=facts) if case.stage == "paused" else []
        ),
        "refused": refused,
        "pause_form": PauseForm(initial={"expected_stage": case.stage}, auto_id="pause_%s"),
        "close_form": CloseForm(initial={"expected_stage": case.stage}, auto_id="close_%s"),
        "resume_form": ResumeForm(initial={"next_action_due": case.next_action_due}),
        "plan_form": PlanForm(
            initial={
                "process_type": case.process_type,
                "region": case.region,
                "next_action": case.next_action,
                "next_action_due": case.next_action_due,
            },
            offered=list(settings.process_types),
        ),
        # Only who may assign gets the choosers: each lists the programme's members.
        "assign_form": (
            AssignForm(
                facilitators=case_assignable_facilitators(case),
                listable=programme_members_listable(case.programme, Role.FACILITATOR),
            )
            if can["assign"]
            else None
        ),
        "coordinator_form": (
            CoordinatorForm(
                coordinators=_coordinators(case),
                listable=programme_members_listable(case.programme, Role.COORDINATOR),
                initial={"coordinator": case.coordinator},
            )
            if can["assign"]
            else None
        ),
        "is_open": case.stage != CaseStage.CLOSED,
        "today": timezone.localdate(),
    }
    for name, form in (forms or {}).items():
        context[name] = form
    return render(request, "cases/case_detail.html", context, status=status)


@require_GET
@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


def _refused(
    request: HttpRequest, case: Case, error: ApplicationError, **forms: Form
) -> HttpResponse:
    case.refresh_from_db()
    return _page(
        request,
        case,
        status=409 if error.status_code == 409 else _STATUS_REFUSED,
        forms=forms,
        refused=error,
    )


def _submit(
    request: HttpRequest,
    case: Case,
    form: Form,
    *,
    form_name: str,
    not_done: str,
    done: Callable[[], str],
    act: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """The shape of every form on the case page: check the form, call one service, show
    its refusal on the page (changing nothing) or say what happened and go back."""
    if not form.is_valid():
        return _refused(request, case, form_refusal(not_done, form), **{form_name: form})
    try:
        act(form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, case, error, **{form_name: form})
    messages.success(request, done())
    return redirect("cases:detail", reference=case.reference)


@require_POST
@login_required
def case_move(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "move")
    target = request.POST.get("target", "")

    def moved() -> str:
        case.refresh_from_db()
        return _("The case is now in “%(stage)s”.") % {"stage": case.get_stage_display()}

    return _submit(
        request,
        case,
        MoveForm(request.POST, prefix=target or None),
        form_name="move_form",
        not_done=_("The case was not moved."),
        done=moved,
        act=lambda data: services.case_transition(
            actor=_actor(request),
            case=case,
            target=data["target"],
            expected_stage=data["expected_stage"],
            next_action=data["next_action"],
            next_action_due=data["next_action_due"],
            note=data["note"],
        ),
    )


@require_POST
@login_required
def case_pause(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "pause")
    return _submit(
        request,
        case,
        PauseForm(request.POST, auto_id="pause_%s"),
        form_name="pause_form",
        not_done=_("The case was not paused."),
        done=lambda: _("The case is paused."),
        act=lambda data: services.case_pause(
            actor=_actor(request),
            case=case,
            reason=data["reason"],
            note=data["note"],
            expected_stage=data["expected_stage"],
        ),
    )


@require_POST
@login_required
def case_resume(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "move")
    return _submit(
        request,
        case,
        ResumeForm(request.POST),
        form_name="resume_form",
        not_done=_("The case was not resumed."),
        done=lambda: _("The case has resumed."),
        act=lambda data: services.case_resume(
            actor=_actor(request),
            case=case,
            next_action=data["next_action"],
            next_action_due=data["next_action_due"],
            note=data["note"],
        ),
    )


@require_POST
@login_required
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "close")
    return _submit(
        request,
        case,
        CloseForm(request.POST, auto_id="close_%s"),
        form_name="close_form",
        not_done=_("The case was not closed."),
        done=lambda: _("The case is closed."),
        act=lambda data: services.case_close(
            actor=_actor(request),
            case=case,
            reason=data["reason"],
            note=data["note"],
            expected_stage=data["expected_stage"],
        ),
    )


@require_POST
@login_required
def case_plan(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "work")
    return _submit(
        request,
        case,
        PlanForm(request.POST, offered=list(settings_for(case.programme).process_types)),
        form_name="plan_form",
        not_done=_("The case was not changed."),
        done=lambda: _("The plan is saved."),
        act=lambda data: services.case_update_plan(
            actor=_actor(request),
            case=case,
            process_type=data["process_type"],
            region=data["region"],
            next_action=data["next_action"],
            next_action_due=data["next_action_due"],
        ),
    )


@require_POST
@login_required
def case_coordinator(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "assign")
    return _submit(
        request,
        case,
        CoordinatorForm(
            request.POST,
            coordinators=_coordinators(case),
            listable=programme_members_listable(case.programme, Role.COORDINATOR),
        ),
        form_name="coordinator_form",
        not_done=_("The coordinator was not changed."),
        done=lambda: _("The coordinator is saved."),
        act=lambda data: services.case_set_coordinator(
            actor=_actor(request), case=case, coordinator=data["coordinator"]
        ),
    )


def _coordinators(case: Case) -> Any:
    return programme_members_with_role(case.programme, Role.COORDINATOR)


@require_http_methods(["POST"])
@login_required
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "assign")
    form = AssignForm(
        request.POST,
        facilitators=case_assignable_facilitators(case, include_assigned=True),
        listable=programme_members_listable(case.programme, Role.FACILITATOR),
    )
    if not form.is_valid():
        return _refused(
            request,
            case,
            form_refusal(_("Nobody was assigned."), form),
            assign_form=form,
        )
    facilitator = form.cleaned_data["facilitator"]
    try:
        if form.cleaned_data["remove"]:
            services.case_unassign_facilitator(
                actor=_actor(request), case=case, facilitator=facilitator
            )
            messages.success(
                request, _("%(name)s no longer works on this case.") % {"name": facilitator}
            )
        else:
            services.case_assign_facilitator(
                actor=_actor(request), case=case, facilitator=facilitator
            )
            messages.success(request, _("%(name)s is assigned.") % {"name": facilitator})
    except ApplicationError as error:
        return _refused(request, case, error, assign_form=form)
    return redirect("cases:detail", reference=case.reference)
