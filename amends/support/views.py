"""The case's "Support" pages and a programme's partner directory. Every view loads its
object through the policies (hidden → 404), calls one service, and shows its reasons
when it refuses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.programmes.models import Programme
from amends.support import selectors, services
from amends.support.forms import PartnerForm, ReferralForm, ReferralUpdateForm
from amends.support.models import Partner, SupportReferral
from amends.support.permissions import (
    partner_directory_policy,
    partner_policy,
    support_case_policy,
    support_referral_policy,
)

_STATUS_REFUSED = 400


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _audit_view(request: HttpRequest, case: Case, page: str, **data: object) -> None:
    # DESIGN §4: every view of case content is audited.
    audit_record(
        actor=_actor(request),
        action=Action.CASE_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": page, **data},
    )


# --- the partner directory -------------------------------------------------------------


def _programme(request: HttpRequest, slug: str, action: str = "view") -> Programme:
    return get_for_user_or_404(partner_directory_policy, request.user, action, slug=slug)


@require_GET
@login_required
def partner_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    context = {
        "programme": programme,
        "partners": selectors.partners_for_programme(programme),
        "can_manage": partner_directory_policy.can(request.user, "manage", programme),
    }
    return render(request, "support/partner_list.html", context)


def _partner_page(
    request: HttpRequest,
    programme: Programme,
    form: PartnerForm,
    *,
    partner: Partner | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"programme": programme, "form": form, "partner": partner, "refused": refused}
    return render(request, "support/partner_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def partner_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "manage")
    if request.method != "POST":
        return _partner_page(request, programme, PartnerForm())
    form = PartnerForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The partner was not added."), form)
        return _partner_page(request, programme, form, refused=refusal, status=_STATUS_REFUSED)
    try:
        services.partner_create(actor=_actor(request), programme=programme, details=form.details())
    except ApplicationError as error:
        return _partner_page(request, programme, form, refused=error, status=_STATUS_REFUSED)
    messages.success(request, _("The partner is in the directory."))
    return redirect("support:partners", slug=programme.slug)


@require_http_methods(["GET", "POST"])
@login_required
def partner_edit(request: HttpRequest, slug: str, partner_id: int) -> HttpResponse:
    partner = get_for_user_or_404(
        partner_policy, request.user, "manage", pk=partner_id, programme__slug=slug
    )
    programme = partner.programme
    if request.method != "POST":
        form = PartnerForm(initial=PartnerForm.initial_for(partner))
        return _partner_page(request, programme, form, partner=partner)
    form = PartnerForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The partner was not changed."), form)
        return _partner_page(
            request, programme, form, partner=partner, refused=refusal, status=_STATUS_REFUSED
        )
    try:
        services.partner_update(actor=_actor(request), partner=partner, details=form.details())
    except ApplicationError as error:
        return _partner_page(
            request, programme, form, partner=partner, refused=error, status=_STATUS_REFUSED
        )
    messages.success(request, _("The partner's entry is saved."))
    return redirect("support:partners", slug=programme.slug)


# --- a case's referrals ----------------------------------------------------------------


def _case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(support_case_policy, request.user, action, reference=reference)


@require_GET
@login_required
def support_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    _audit_view(request, case, "support")
    context = {
        "case": case,
        "referrals": selectors.referrals_for_case(request.user, case),
        "works": support_case_policy.can(request.user, "work", case),
        "directory": partner_directory_policy.can(request.user, "view", case.programme),
    }
    return render(request, "support/support_case.html", context)


def _referral_form(case: Case, data: object = None) -> ReferralForm:
    return ReferralForm(
        data,
        participants=selectors.referable_participants(case),
        partners=selectors.partners_for_programme(case.programme, active_only=True),
    )


def _referral_form_page(
    request: HttpRequest,
    case: Case,
    form: ReferralForm,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    _audit_view(request, case, "support_referral_form")
    context = {"case": case, "form": form, "refused": refused}
    return render(request, "support/referral_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def referral_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "work")
    if request.method != "POST":
        return _referral_form_page(request, case, _referral_form(case))
    form = _referral_form(case, request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The referral was not sent."), form)
        return _referral_form_page(request, case, form, refusal, _STATUS_REFUSED)
    data = form.cleaned_data
    try:
        referral = services.support_referral_send(
            actor=_actor(request),
            case=case,
            participant=data["participant"],
            partner=data["partner"],
            service_type=data["service_type"],
            note=data["note"],
            sent_on=data["sent_on"],
        )
    except ApplicationError as error:
        return _referral_form_page(request, case, form, error, _STATUS_REFUSED)
    messages.success(request, _("The referral is recorded as sent."))
    return redirect("support:referral", reference=case.reference, referral_id=referral.pk)


def _referral(
    request: HttpRequest, reference: str, referral_id: int, action: str = "view"
) -> SupportReferral:
    referral = get_for_user_or_404(
        support_referral_policy, request.user, action, pk=referral_id, case__reference=reference
    )
    return selectors.referral_get(referral.case, referral.pk) or referral


def _referral_page(
    request: HttpRequest,
    referral: SupportReferral,
    form: ReferralUpdateForm | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    _audit_view(request, referral.case, "support_referral", referral=referral.pk)
    can_update = support_referral_policy.can(request.user, "update", referral)
    context = {
        "case": referral.case,
        "referral": referral,
        "history": selectors.referral_history(referral),
        "works": support_case_policy.can(request.user, "work", referral.case),
        "form": (form or ReferralUpdateForm()) if can_update and referral.is_open else None,
        "refused": refused,
    }
    return render(request, "support/referral_detail.html", context, status=status)


@require_GET
@login_required
def referral_detail(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    return _referral_page(request, _referral(request, reference, referral_id))


@require_POST
@login_required
def referral_update(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    referral = _referral(request, reference, referral_id, "update")
    form = ReferralUpdateForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The referral was not updated."), form)
        return _referral_page(request, referral, form, refusal, _STATUS_REFUSED)
    try:
        services.support_referral_update(
            actor=_actor(request),
            referral=referral,
            status=form.cleaned_data["status"],
            happened_on=form.cleaned_data["happened_on"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        return _referral_page(request, referral, form, error, _STATUS_REFUSED)
    messages.success(request, _("The referral is updated."))
    return redirect("support:referral", reference=reference, referral_id=referral.pk)
