"""The case's "Indirect exchange" pages: its items, their review, passing them on, and
the shuttle log. Every view loads the case or the item through the policies (hidden →
404), calls one service, and shows its reasons when it refuses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import KEY_ROLES, Case
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.exchanges import files, rules, selectors, services
from amends.exchanges.forms import (
    ItemEditForm,
    ItemForm,
    ReadForm,
    RelayForm,
    ReviewForm,
    RoundForm,
)
from amends.exchanges.models import (
    EDITABLE_STATUSES,
    RELAYABLE_STATUSES,
    ExchangeItem,
    FlagStatus,
    ItemStatus,
)
from amends.exchanges.permissions import exchange_case_policy, exchange_item_policy
from amends.exchanges.whereabouts import Finding, FindingKind, context_of

_STATUS_REFUSED = 400


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(exchange_case_policy, request.user, action, reference=reference)


def _item(request: HttpRequest, reference: str, item_id: int, action: str = "view") -> ExchangeItem:
    item = get_for_user_or_404(
        exchange_item_policy, request.user, action, pk=item_id, case__reference=reference
    )
    return selectors.item_get(item.case, item.pk) or item


def _audit_view(request: HttpRequest, case: Case, page: str, **data: Any) -> None:
    # DESIGN §4: every view of case content is audited.
    audit_record(
        actor=_actor(request),
        action=Action.CASE_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": page, **data},
    )


def _round_form(case: Case, data: Any = None) -> RoundForm:
    facilitator_ids = [user.pk for user in selectors.assigned_facilitators(case)]
    return RoundForm(
        data,
        facilitators=User.objects.filter(pk__in=facilitator_ids).order_by("full_name"),
        parties=case.participants.filter(role__in=list(KEY_ROLES)).select_related("person"),
        initial={"number": selectors.next_round_number(case)},
    )


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    round_form: RoundForm | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    _audit_view(request, case, "exchange")
    works = exchange_case_policy.can(request.user, "work", case)
    context = {
        "case": case,
        "items": selectors.items_for_case(request.user, case),
        "works": works,
        "stage_problems": selectors.exchange_stage_problems(case) if works else [],
        "rounds": list(selectors.shuttle_rounds_for_case(case)) if works else [],
        "round_form": (round_form or _round_form(case)) if works else None,
        "refused": refused,
    }
    return render(request, "exchanges/exchange_case.html", context, status=status)


@require_GET
@login_required
def exchange_case(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, _case(request, reference))


@require_POST
@login_required
def round_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "work")
    form = _round_form(case, request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The round was not recorded."), form)
        return _case_page(request, case, round_form=form, refused=refusal, status=_STATUS_REFUSED)
    data = form.cleaned_data
    try:
        services.shuttle_round_record(
            actor=_actor(request),
            case=case,
            number=data["number"],
            held_on=data["held_on"],
            facilitator=data["facilitator"],
            party=data["party"],
            method=data["method"],
            summary=data["summary"],
        )
    except ApplicationError as error:
        return _case_page(request, case, round_form=form, refused=error, status=_STATUS_REFUSED)
    messages.success(request, _("The round is in the shuttle log."))
    return redirect("exchanges:case", reference=case.reference)


def _form_page(
    request: HttpRequest,
    case: Case,
    form: ItemForm | ItemEditForm,
    *,
    item: ExchangeItem | None = None,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    _audit_view(request, case, "exchange_item_form", item=item.pk if item else None)
    context = {"case": case, "form": form, "item": item, "refused": refused}
    return render(request, "exchanges/item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def item_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "work")
    writers = selectors.writer_choices(case)
    if request.method != "POST":
        return _form_page(request, case, ItemForm(writers=writers))
    form = ItemForm(request.POST, request.FILES, writers=writers)
    if not form.is_valid():
        refusal = form_refusal(_("The item was not saved."), form)
        return _form_page(request, case, form, refused=refusal, status=_STATUS_REFUSED)
    data = form.cleaned_data
    try:
        item = services.exchange_item_create(
            actor=_actor(request),
            case=case,
            author=data["author"],
            recipient=data["recipient"],
            kind=data["kind"],
            text=data["text"],
            attachment=data["attachment"],
        )
    except ApplicationError as error:
        return _form_page(request, case, form, refused=error, status=_STATUS_REFUSED)
    messages.success(request, _("The item is saved as a draft."))
    return _after_save(request, item)


def _after_save(request: HttpRequest, item: ExchangeItem) -> HttpResponse:
    """ "Save and send for review" sends it at once; a refusal then leaves a draft."""
    if "send_for_review" in request.POST:
        try:
            services.exchange_item_submit(actor=_actor(request), item=item)
        except ApplicationError as error:
            messages.error(request, " ".join([error.message, *error.reasons]))
        else:
            messages.success(request, _("It is waiting for a facilitator's review."))
    return redirect("exchanges:item", reference=item.case.reference, item_id=item.pk)


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "edit")
    if request.method != "POST":
        form = ItemEditForm(initial={"kind": item.kind, "text": item.text})
        return _form_page(request, item.case, form, item=item)
    form = ItemEditForm(request.POST, request.FILES)
    if not form.is_valid():
        refusal = form_refusal(_("The item was not changed."), form)
        return _form_page(
            request, item.case, form, item=item, refused=refusal, status=_STATUS_REFUSED
        )
    data = form.cleaned_data
    try:
        item = services.exchange_item_update(
            actor=_actor(request),
            item=item,
            kind=data["kind"],
            text=data["text"],
            attachment=data["attachment"],
            remove_attachment=data["remove_attachment"],
        )
    except ApplicationError as error:
        return _form_page(
            request, item.case, form, item=item, refused=error, status=_STATUS_REFUSED
        )
    messages.success(request, _("The item is saved. It needs a review before it is passed on."))
    return _after_save(request, item)


def _flag_rows(item: ExchangeItem) -> list[dict[str, Any]]:
    rows = []
    for flag in selectors.current_flags(item):
        row: dict[str, Any] = {"flag": flag}
        if flag.start is not None and flag.end is not None and flag.kind in FindingKind:
            finding = Finding(FindingKind(flag.kind), flag.start, flag.end, flag.matched, False)
            row["before"], row["found"], row["after"] = context_of(item.text, finding)
        rows.append(row)
    return rows


def _forms_for(request: HttpRequest, item: ExchangeItem) -> dict[str, Any]:
    """The actions this viewer may take on the item now, each with its form."""
    user = request.user
    can = {
        action: exchange_item_policy.can(user, action, item)
        for action in ("edit", "submit", "review", "relay", "record_read")
    }
    open_case = item.case.is_open
    reviewers = selectors.reviewers_for(item.case, item.revised_by_id)
    confirmable = selectors.current_flags(item).filter(status=FlagStatus.OPEN, is_blocking=False)
    return {
        "can_edit": can["edit"] and open_case and item.status in EDITABLE_STATUSES,
        "can_submit": can["submit"] and item.status in (ItemStatus.DRAFT, ItemStatus.RETURNED),
        "review_form": ReviewForm(initial={"revision": item.revision}, confirmable=confirmable)
        if can["review"] and item.status == ItemStatus.SUBMITTED and user in reviewers
        else None,
        "relay_form": RelayForm() if can["relay"] and item.status in RELAYABLE_STATUSES else None,
        "read_form": ReadForm()
        if can["record_read"] and open_case and item.status == ItemStatus.RELAYED
        else None,
    }


def _detail_page(
    request: HttpRequest,
    item: ExchangeItem,
    *,
    refused: ApplicationError | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    view = selectors.item_view(request.user, item)
    _audit_view(request, item.case, "exchange_item", item=item.pk)
    context: dict[str, Any] = {
        "case": item.case,
        "item": item,
        "view": view,
        "refused": refused,
        **_forms_for(request, item),
        **{name: form for name, form in forms.items() if form is not None},
    }
    if view.sees_review:
        context["flags"] = _flag_rows(item)
        context["reviews"] = list(selectors.reviews_of(item))
    return render(request, "exchanges/item_detail.html", context, status=status)


@require_GET
@login_required
def item_detail(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    return _detail_page(request, _item(request, reference, item_id))


@require_POST
@login_required
def item_submit(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "submit")
    try:
        services.exchange_item_submit(actor=_actor(request), item=item)
    except ApplicationError as error:
        return _detail_page(request, item, refused=error, status=_STATUS_REFUSED)
    messages.success(request, _("It is waiting for a facilitator's review."))
    return redirect("exchanges:item", reference=reference, item_id=item.pk)


@require_POST
@login_required
def item_review(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "review")
    confirmable = selectors.current_flags(item).filter(status=FlagStatus.OPEN, is_blocking=False)
    form = ReviewForm(request.POST, confirmable=confirmable)
    if not form.is_valid():
        refusal = form_refusal(_("The review was not recorded."), form)
        return _detail_page(
            request, item, refused=refusal, review_form=form, status=_STATUS_REFUSED
        )
    data = form.cleaned_data
    try:
        services.exchange_item_review(
            actor=_actor(request),
            item=item,
            revision=data["revision"],
            decision=data["decision"],
            note=data["note"],
            redacted_text=data["redacted_text"],
            confirmed_flags=[flag.pk for flag in data["confirmed_flags"]],
        )
    except ApplicationError as error:
        return _detail_page(request, item, refused=error, review_form=form, status=_STATUS_REFUSED)
    messages.success(request, _("Your review is recorded."))
    return redirect("exchanges:item", reference=reference, item_id=item.pk)


@require_POST
@login_required
def item_relay(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "relay")
    form = RelayForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("The item was not recorded as passed on."), form)
        return _detail_page(request, item, refused=refusal, relay_form=form, status=_STATUS_REFUSED)
    try:
        services.exchange_item_relay(
            actor=_actor(request),
            item=item,
            method=form.cleaned_data["method"],
            relayed_on=form.cleaned_data["relayed_on"],
        )
    except ApplicationError as error:
        return _detail_page(request, item, refused=error, relay_form=form, status=_STATUS_REFUSED)
    messages.success(request, _("It is recorded as passed on."))
    return redirect("exchanges:item", reference=reference, item_id=item.pk)


@require_POST
@login_required
def item_read(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "record_read")
    form = ReadForm(request.POST)
    if not form.is_valid():
        refusal = form_refusal(_("Reading was not recorded."), form)
        return _detail_page(request, item, refused=refusal, read_form=form, status=_STATUS_REFUSED)
    try:
        services.exchange_item_record_read(
            actor=_actor(request), item=item, read_on=form.cleaned_data["read_on"]
        )
    except ApplicationError as error:
        return _detail_page(request, item, refused=error, read_form=form, status=_STATUS_REFUSED)
    messages.success(request, _("Reading is recorded."))
    return redirect("exchanges:item", reference=reference, item_id=item.pk)


@require_GET
@login_required
def item_file(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    item = _item(request, reference, item_id, "download")
    content_type = rules.CONTENT_TYPES.get(item.attachment_format)
    if not item.attachment or content_type is None:
        raise Http404
    content = files.decrypted_bytes(item)
    _audit_view(request, item.case, "exchange_file", item=item.pk)
    response = HttpResponse(content, content_type=content_type)
    filename = f"{item.kind}-{item.case.reference}-{item.pk}.{item.attachment_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
