"""Adding an item to an agreement and varying an item: pages of their own, because the
terms of an item take a whole form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amends.agreements import selectors
from amends.agreements.forms import ItemForm, VaryForm
from amends.agreements.models import Agreement, AgreementItem
from amends.agreements.services import agreement_item_add, agreement_item_vary
from amends.agreements.views.common import STATUS_REFUSED, actor, load_case, load_item
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal


def _form_kwargs(case: Case) -> dict[str, Any]:
    from amends.cases.selectors import participant_label

    harmed = selectors.harmed_participants(case)
    return {
        "harmed": case.participants.filter(pk__in=[p.pk for p in harmed]),
        "labels": {p.pk: participant_label(p, case.programme) for p in harmed},
        "catalogue": selectors.catalogue_for(case.programme),
    }


def _render(
    request: HttpRequest,
    case: Case,
    form: ItemForm,
    *,
    agreement: Agreement,
    item: AgreementItem | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_record(
        actor=actor(request),
        action=Action.AGREEMENT_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": "item_vary" if item else "item_add", "agreement": agreement.pk},
    )
    context = {
        "case": case,
        "agreement": agreement,
        "item": item,
        "form": form,
        "refused": refused,
    }
    return render(request, "agreements/item_form.html", context, status=status)


_INITIAL_FIELDS = (
    "kind",
    "terms",
    "due_on",
    "apology_form",
    "amount",
    "documented_loss",
    "currency",
    "schedule",
    "hours_planned",
    "placement",
)


def _initial(item: AgreementItem) -> dict[str, Any]:
    initial = {name: getattr(item, name) for name in _INITIAL_FIELDS}
    initial.update(owed_to=item.owed_to_id, catalogue_item=item.catalogue_item_id)
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def item_add(request: HttpRequest, reference: str, agreement_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    agreement = selectors.agreement_for_case(case, agreement_id)
    if agreement is None:
        raise Http404
    if request.method != "POST":
        return _render(request, case, ItemForm(**_form_kwargs(case)), agreement=agreement)
    form = ItemForm(request.POST, **_form_kwargs(case))
    not_done = _("The item was not added.")
    try:
        if not form.is_valid():
            raise form_refusal(not_done, form)
        agreement_item_add(actor=actor(request), agreement=agreement, terms=form.item_terms())
    except ApplicationError as error:
        return _render(
            request, case, form, agreement=agreement, refused=error, status=STATUS_REFUSED
        )
    messages.success(request, _("The item is added. Record each party's consent to it."))
    return redirect("agreements:case", reference=case.reference)


@require_http_methods(["GET", "POST"])
@login_required
def item_vary(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    item = load_item(case, item_id)
    if request.method != "POST":
        form = VaryForm(initial=_initial(item), **_form_kwargs(case))
        return _render(request, case, form, agreement=item.agreement, item=item)
    form = VaryForm(request.POST, **_form_kwargs(case))
    not_done = _("The item was not varied.")
    try:
        if not form.is_valid():
            raise form_refusal(not_done, form)
        agreement_item_vary(
            actor=actor(request),
            item=item,
            terms=form.item_terms(),
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        status = 409 if error.status_code == 409 else STATUS_REFUSED
        return _render(
            request, case, form, agreement=item.agreement, item=item, refused=error, status=status
        )
    messages.success(request, _("The item is varied. Its new version needs everyone's consent."))
    return redirect("agreements:case", reference=case.reference)
