"""The case's safety plan page (G7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.gates import g7_safety_plan
from amends.cases.models import Case
from amends.cases.permissions import case_policy
from amends.cases.selectors import case_facts
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404
from amends.safety.forms import SafetyPlanForm
from amends.safety.models import SafetyPlan
from amends.safety.services import safety_plan_save


@require_http_methods(["GET", "POST"])
@login_required
def safety_plan(request: HttpRequest, reference: str) -> HttpResponse:
    case: Case = get_for_user_or_404(case_policy, request.user, "work", reference=reference)
    plan = SafetyPlan.objects.filter(case=case).first()
    initial = {"measures": plan.measures, "notes": plan.notes} if plan else {}
    form = SafetyPlanForm(request.POST or None, initial=initial)
    refused = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                safety_plan_save(
                    actor=request.user,  # type: ignore[arg-type]
                    case=case,
                    measures=form.cleaned_data["measures"],
                    notes=form.cleaned_data["notes"],
                )
            except ApplicationError as error:
                refused = error
            else:
                messages.success(request, _("The safety plan is saved."))
                return redirect("cases:detail", reference=case.reference)
    # DESIGN §4: a view of case content is audited (the plan's notes are case content).
    audit_record(
        actor=request.user,
        action=Action.CASE_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": "safety_plan"},
    )
    context = {
        "case": case,
        "form": form,
        "plan": plan,
        "refused": refused,
        "gate_reasons": g7_safety_plan(case_facts(case)),
    }
    return render(request, "safety/safety_plan.html", context, status=status)
