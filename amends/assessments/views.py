"""Assessment pages (G4, G8) and the case's supervisor sign-off page (G5).

Each view loads the case or participant through its policy (hidden → 404), calls one
service and, when the service refuses, shows its message and reasons above the form,
changing nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.models import User
from amends.assessments import selectors, services
from amends.assessments.forms import AssessmentForm, OverrideForm, SignOffForm
from amends.assessments.models import Assessment
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import case_facts, participant_label
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.programmes.selectors import current_assessment_template, settings_for

_STATUS_REFUSED = 400


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(case_policy, request.user, action, reference=reference)


def _assessment(case: Case, pk: int) -> Assessment:
    try:
        return selectors.assessment_in_case(case, pk)
    except Assessment.DoesNotExist:
        raise Http404 from None


# --- recording an assessment -----------------------------------------------------------------


def _new_page(
    request: HttpRequest,
    participant: Participant,
    form: AssessmentForm | None,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    case = participant.case
    # DESIGN §4: every page showing a person's record is audited, refusals included.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant.person,
        programme=case.programme,
        data={"page": "assessment_new", "case": case.pk, "participant": participant.pk},
    )
    context = {
        "case": case,
        "participant": participant,
        "label": participant_label(participant, case.programme),
        "form": form,
        "template": current_assessment_template(case.programme),
        "validity_days": settings_for(case.programme).assessment_validity_days,
        "previous": selectors.newest_assessment(participant),
        "refused": refused,
    }
    return render(request, "assessments/assessment_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_new(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = get_for_user_or_404(
        participant_policy, request.user, "work", pk=participant_id, case__reference=reference
    )
    if not participant.is_key:
        raise Http404
    template = current_assessment_template(participant.case.programme)
    questions = template.questions if template is not None else []
    if request.method == "GET":
        form = AssessmentForm(questions=questions) if template is not None else None
        return _new_page(request, participant, form)
    form = AssessmentForm(request.POST, questions=questions)
    if template is None or not form.is_valid():
        refusal = form_refusal(_("The assessment was not recorded."), form)
        return _new_page(request, participant, form, status=_STATUS_REFUSED, refused=refusal)
    try:
        assessment = services.assessment_record(
            actor=_actor(request),
            participant=participant,
            answers=form.answers(),
            assessed_on=form.assessed_on_value(),
            notes=form.cleaned_data["notes"],
        )
    except ApplicationError as error:
        return _new_page(request, participant, form, status=error.status_code, refused=error)
    messages.success(request, _("The assessment was recorded."))
    return redirect("assessments:detail", reference=reference, pk=assessment.pk)


# --- an assessment and its history -------------------------------------------------------------


@require_GET
@login_required
def assessment_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    assessment = _assessment(case, pk)
    participant = assessment.participant
    # DESIGN §4: every view of a person's record is audited.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant.person,
        programme=case.programme,
        data={"case": case.pk, "participant": participant.pk, "assessment": assessment.pk},
    )
    history = selectors.assessment_history(participant)
    newest = history[0] if history else None
    context = {
        "case": case,
        "assessment": assessment,
        "participant": participant,
        "label": participant_label(participant, case.programme),
        "questions": selectors.answered_questions(assessment),
        "history": history,
        "is_newest": newest is not None and newest.pk == assessment.pk,
        "is_expired": assessment.valid_until < timezone.localdate(),
        "current_template": current_assessment_template(case.programme),
        "can_work": participant_policy.can(request.user, "work", participant),
        "is_overridden": assessment.risk_level != assessment.computed_risk,
    }
    return render(request, "assessments/assessment_detail.html", context)


# --- changing the risk level -------------------------------------------------------------------


def _override_page(
    request: HttpRequest,
    case: Case,
    assessment: Assessment,
    form: OverrideForm,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=assessment.participant.person,
        programme=case.programme,
        data={"page": "assessment_override", "case": case.pk, "assessment": assessment.pk},
    )
    context = {
        "case": case,
        "assessment": assessment,
        "label": participant_label(assessment.participant, case.programme),
        "form": form,
        "refused": refused,
        "may_lower": case_policy.can(request.user, "sign_off", case)
        and not selectors.is_assigned_facilitator(request.user, case),
    }
    return render(request, "assessments/assessment_override.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_override(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference, "work")
    assessment = _assessment(case, pk)
    if request.method == "GET":
        form = OverrideForm(initial={"risk_level": assessment.risk_level})
        return _override_page(request, case, assessment, form)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The risk level was not changed."), form)
        return _override_page(
            request, case, assessment, form, status=_STATUS_REFUSED, refused=refusal
        )
    try:
        services.assessment_override_risk(
            actor=_actor(request),
            assessment=assessment,
            risk_level=form.cleaned_data["risk_level"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        assessment.refresh_from_db()
        return _override_page(
            request, case, assessment, form, status=error.status_code, refused=error
        )
    messages.success(request, _("The risk level was changed."))
    return redirect("assessments:detail", reference=reference, pk=assessment.pk)


# --- supervisor sign-off -----------------------------------------------------------------------


def _sign_off_page(
    request: HttpRequest,
    case: Case,
    form: SignOffForm,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    facts = case_facts(case)
    assigned = selectors.is_assigned_facilitator(request.user, case)
    context = {
        "case": case,
        "summaries": selectors.assessment_summaries(facts),
        "sign_off": selectors.sign_off_status(case, facts),
        "is_assigned_facilitator": assigned,
        "is_supervisor": case_policy.can(request.user, "sign_off", case),
        "can_work": case_policy.can(request.user, "work", case),
        "form": form,
        "refused": refused,
    }
    return render(request, "assessments/sign_off.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    if request.method == "GET":
        case = _case(request, reference)
        # DESIGN §4: every view of a case is audited.
        audit_record(
            actor=_actor(request),
            action=Action.CASE_VIEWED,
            target=case,
            programme=case.programme,
            data={"page": "sign_off"},
        )
        return _sign_off_page(request, case, SignOffForm())
    case = _case(request, reference, "sign_off")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The case was not signed off."), form)
        return _sign_off_page(request, case, form, status=_STATUS_REFUSED, refused=refusal)
    try:
        services.sign_off_record(actor=_actor(request), case=case, notes=form.cleaned_data["notes"])
    except ApplicationError as error:
        return _sign_off_page(request, case, form, status=error.status_code, refused=error)
    messages.success(request, _("You signed off the case."))
    return redirect("cases:detail", reference=reference)
