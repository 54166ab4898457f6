"""Referral pages: sending a referral (staff and referrer forms), the referrer's own list,
and screening (G1). Thin: forms check shape, services decide, selectors read."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404, require_page
from amends.programmes.models import Programme
from amends.referrals.forms import DecisionForm
from amends.referrals.intake_page import IntakeForms, duplicates_step
from amends.referrals.permissions import (
    intake_policy,
    is_staff_of_programme,
    referral_status_policy,
    screening_policy,
)
from amends.referrals.selectors import (
    referral_status_page_for_referrer,
    screening_evaluation,
    screening_participants,
)
from amends.referrals.services import referral_decide, referral_submit


@require_GET
@login_required
def referral_start(request: HttpRequest) -> HttpResponse:
    """Where a referral can be sent; straight to the form when there is one place."""
    require_page(intake_policy, request.user, "start")
    programmes = list(intake_policy.programmes_for(request.user).select_related("organisation"))
    if len(programmes) == 1:
        return redirect("referrals:new", slug=programmes[0].slug)
    return render(request, "referrals/referral_start.html", {"programmes": programmes})


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The intake form: the staff form for coordinators and supervisors, the referrer form
    (no self-referrals, no duplicates step) for referrers."""
    programme = get_for_user_or_404(intake_policy, request.user, "submit", slug=slug)
    is_staff = is_staff_of_programme(request.user, programme)
    if request.method == "GET":
        user = cast(User, request.user)  # login_required
        initial = (
            {} if is_staff else {"referrer_name": user.full_name, "referrer_contact": user.email}
        )
        return _intake_page(request, IntakeForms.blank(programme, is_staff, initial))
    intake = IntakeForms.bound(request.POST, programme, is_staff)
    rearranged = intake.rearranged(request.POST)
    if rearranged is not None:
        return _intake_page(request, rearranged)
    if not intake.is_valid():
        return _intake_page(request, intake, status=400)
    if is_staff:
        step = duplicates_step(intake)
        if step is not None:
            return _intake_page(request, step, duplicates_step=True)
    try:
        case = referral_submit(
            actor=request.user,  # type: ignore[arg-type]
            programme=programme,
            **intake.referral_values(),
            offences=intake.offence_inputs(),
            people=intake.person_inputs(),
        )
    except ApplicationError as error:
        again = intake.compacted()
        return _intake_page(request, again, error=error, status=400)
    if is_staff:
        messages.success(request, _("The referral was taken in and its case opened."))
        return redirect(reverse("cases:detail", args=[case.reference]))
    messages.success(
        request,
        _("Thank you. Your referral %(reference)s was sent.") % {"reference": case.reference},
    )
    return redirect("referrals:mine")


def _intake_page(
    request: HttpRequest,
    intake: IntakeForms,
    *,
    error: ApplicationError | None = None,
    duplicates_step: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = {
        "programme": intake.programme,
        "is_staff": intake.is_staff,
        "form": intake.referral,
        "offences": intake.offences,
        "people": intake.people,
        "error": error,
        "duplicates_step": duplicates_step,
    }
    return render(request, "referrals/referral_new.html", context, status=status)


@require_GET
@login_required
def referral_mine(request: HttpRequest) -> HttpResponse:
    """The referrer's referrals: reference, date, status, and a decline's reason."""
    require_page(referral_status_policy, request.user, "list")
    before = request.GET.get("before")
    page = referral_status_page_for_referrer(request.user, before=before)
    context = {
        "rows": page.rows,
        "older_query": urlencode({"before": page.older}) if page.older else "",
        "paged": bool(before),
    }
    return render(request, "referrals/referral_mine.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def referral_screening(request: HttpRequest, reference: str) -> HttpResponse:
    """Screening: the G1 evaluation under the current policy and the decision."""
    case = get_for_user_or_404(screening_policy, request.user, "decide", reference=reference)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        declining = form.cleaned_data["decision"] == DecisionForm.DECLINE
        try:
            referral_decide(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                decline=declining,
                reason_for_referrer=form.cleaned_data["reason_for_referrer"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as error:
            for reason in [error.message, *error.reasons]:
                form.add_error(None, reason)
        else:
            if declining:
                messages.success(request, _("The referral was declined and returned."))
            else:
                messages.success(request, _("The referral was accepted."))
            return redirect(reverse("cases:detail", args=[case.reference]))
    # DESIGN §4: every page showing a case is audited, a refused decision's page included.
    audit_record(
        actor=request.user,
        action=Action.CASE_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": "screening"},
    )
    return render(
        request,
        "referrals/referral_screening.html",
        _screening_context(case, form),
        status=400 if request.method == "POST" else 200,
    )


def _screening_context(case: Any, form: DecisionForm) -> dict[str, Any]:
    programme: Programme = case.programme
    return {
        "case": case,
        "programme": programme,
        "referral": case.referral,
        "evaluation": screening_evaluation(case),
        "participants": screening_participants(case),
        "form": form,
        "can_decide": case.stage == CaseStage.SCREENING,
        "stage_is_referred": case.stage == CaseStage.REFERRED,
    }
