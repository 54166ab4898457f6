"""The agreement as a PDF, and the outcome report for the referrer (G12) as a page and a
PDF, with issuing it under a legal basis."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.agreements import selectors
from amends.agreements.documents import PDF_CONTENT_TYPE, html_to_pdf, render_html
from amends.agreements.forms import IssueForm
from amends.agreements.models import LegalBasis
from amends.agreements.permissions import agreement_policy, outcome_report_policy
from amends.agreements.reports import OutcomeReport, outcome_report, report_rows
from amends.agreements.services import outcome_report_issue
from amends.agreements.views.common import STATUS_REFUSED, actor, load_case
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def agreement_document_html(case: Case, agreement_id: int, *, only_for: set[int] | None) -> str:
    """The agreement as printed: parties by role only, terms, due dates, status, totals,
    signature lines; never a name, an address, a contact detail or a note."""
    views = selectors.agreement_views(case, only_for=only_for, named=set())
    view = next((view for view in views if view.agreement.pk == agreement_id), None)
    if view is None:
        raise Http404
    parties = [view.responsible_label]
    parties += [line.owed_to_label for line in view.items if line.owed_to_label]
    return render_html(
        "agreements/pdf/agreement.html",
        {
            "case": case,
            "view": view,
            "parties": list(dict.fromkeys(parties)),
            "printed_on": timezone.localdate(),
        },
    )


@require_GET
@login_required
def agreement_pdf(request: HttpRequest, reference: str, agreement_id: int) -> HttpResponse:
    case = load_case(request, reference)
    clients = (
        None
        if agreement_policy.can(request.user, "work", case)
        else (selectors.client_ids(case, request.user))
    )
    html = agreement_document_html(case, agreement_id, only_for=clients)
    audit_record(
        actor=actor(request),
        action=Action.AGREEMENT_PRINTED,
        target=case,
        programme=case.programme,
        data={"agreement": agreement_id, "read_only": clients is not None},
    )
    return _pdf_response(html_to_pdf(html), f"agreement-{case.reference}-{agreement_id}.pdf")


def _report_case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(outcome_report_policy, request.user, action, reference=reference)


def _report_for(request: HttpRequest, case: Case) -> tuple[OutcomeReport, bool]:
    """Staff see the report as it stands today; the referrer sees what was issued to them
    (the latest issue), nothing newer."""
    if outcome_report_policy.can(request.user, "issue", case):
        return outcome_report(case), False
    issues = selectors.outcome_report_issues(case)
    if not issues:
        raise Http404
    return OutcomeReport.from_json(issues[0].report), True


def outcome_report_html(case: Case, report: OutcomeReport) -> str:
    return render_html(
        "agreements/pdf/outcome_report.html",
        {"case": case, "report": report, "rows": report_rows(report, case)},
    )


def _audit_view(request: HttpRequest, case: Case, page: str) -> None:
    audit_record(
        actor=actor(request),
        action=Action.OUTCOME_REPORT_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": page},
    )


def _report_page(
    request: HttpRequest,
    case: Case,
    *,
    form: IssueForm | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    report, as_issued = _report_for(request, case)
    _audit_view(request, case, "outcome_report")
    issues = selectors.outcome_report_issues(case)
    context = {
        "case": case,
        "report": report,
        "rows": report_rows(report, case),
        "as_issued": as_issued,
        "latest_issue": issues[0] if issues else None,
        "issues": [] if as_issued else issues,
        "can_issue": not as_issued,
        "form": form or IssueForm(),
        "refused": refused,
    }
    return render(request, "agreements/outcome_report.html", context, status=status)


@require_GET
@login_required
def report_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _report_page(request, _report_case(request, reference))


@require_GET
@login_required
def report_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    case = _report_case(request, reference)
    report, _as_issued = _report_for(request, case)
    _audit_view(request, case, "outcome_report_pdf")
    return _pdf_response(
        html_to_pdf(outcome_report_html(case, report)), f"outcome-{case.reference}.pdf"
    )


@require_POST
@login_required
def report_issue(request: HttpRequest, reference: str) -> HttpResponse:
    case = _report_case(request, reference, "issue")
    form = IssueForm(request.POST)
    not_done = _("The outcome report was not issued.")
    try:
        if not form.is_valid():
            raise form_refusal(not_done, form)
        issue = outcome_report_issue(
            actor=actor(request), case=case, legal_basis=form.cleaned_data["legal_basis"]
        )
    except ApplicationError as error:
        return _report_page(request, case, form=form, refused=error, status=STATUS_REFUSED)
    messages.success(
        request,
        _("The outcome report is issued to the referrer (legal basis: %(basis)s).")
        % {"basis": LegalBasis(issue.legal_basis).label},
    )
    return redirect("agreements:report", reference=case.reference)
