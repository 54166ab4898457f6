"""The agreement page of a case and the forms posted from it.

Case workers see every agreement of the case with a form for each next step; an advocate
sees, read-only, the items that bind the person they support, with the other party named
only by their role (`selectors.agreement_views`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.agreements import selectors
from amends.agreements.forms import (
    AgreementCreateForm,
    ConfirmForm,
    HoursForm,
    ItemConsentForm,
    PaymentForm,
    ReferBackForm,
    StatusForm,
)
from amends.agreements.models import ComplianceStepKind, ItemKind
from amends.agreements.permissions import agreement_policy
from amends.agreements.services import (
    agreement_create,
    agreement_item_confirm,
    agreement_item_refer_back,
    agreement_item_set_status,
    payment_record,
    work_hours_log,
    work_hours_verify,
)
from amends.agreements.services.common import DRAFTING_STAGES, MONITORING_STAGES
from amends.agreements.views.common import actor, load_case, load_item, submit
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy
from amends.cases.selectors import is_minor
from amends.consent.models import ConsentKind
from amends.consent.selectors import guardians_for, information_sheet_for
from amends.consent.services import consent_give
from amends.core.errors import ApplicationError

# Guardian consent and assent are two entries: the form starts at the first one missing.
_FIRST_MISSING: dict[str, int] = {
    ConsentKind.GUARDIAN: 0,
    ConsentKind.ASSENT: 1,
    ConsentKind.CONSENT: 2,
}


@dataclass
class ItemPanel:
    view: selectors.ItemView
    forms: dict[str, Form] = field(default_factory=dict)
    consent_forms: list[tuple[selectors.PartyLine, Form]] = field(default_factory=list)


def _form(bound: dict[str, Form], key: str, make: Any, **kwargs: Any) -> Form:
    """The form as it was sent (after a refusal) or a fresh one, with ids of its own."""
    if key in bound:
        return bound[key]
    form: Form = make(auto_id=f"id_{key}_%s", **kwargs)
    return form


def _item_panel(
    view: selectors.ItemView,
    participants: dict[int, Participant],
    can: dict[str, bool],
    bound: dict[str, Form],
) -> ItemPanel:
    panel = ItemPanel(view=view)
    item, pk = view.item, view.item.pk
    if not can["work"] or not item.is_live:
        return panel
    for party in view.parties:
        if party.missing:
            first = min(party.missing, key=lambda kind: _FIRST_MISSING.get(kind, 9))
            panel.consent_forms.append(
                (
                    party,
                    _form(
                        bound,
                        f"consent{pk}_{party.participant_id}",
                        ItemConsentForm,
                        guardians=guardians_for(participants[party.participant_id]),
                        minor=party.is_minor,
                        initial={"participant": party.participant_id, "kind": first},
                    ),
                )
            )
    if item.flags and item.confirmed_at is None and can["confirm"]:
        panel.forms["confirm"] = _form(bound, f"confirm{pk}", ConfirmForm)
    if view.in_force and item.kind == ItemKind.RESTITUTION:
        panel.forms["payment"] = _form(bound, f"payment{pk}", PaymentForm)
    if view.in_force and item.kind == ItemKind.WORK:
        panel.forms["hours"] = _form(bound, f"hours{pk}", HoursForm)
    panel.forms["status"] = _form(bound, f"status{pk}", StatusForm)
    if can["manage"] and ComplianceStepKind.REVIEW in view.step_kinds:
        panel.forms["refer_back"] = _form(bound, f"referback{pk}", ReferBackForm)
    return panel


def page(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
    bound: dict[str, Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    user = request.user
    can = {name: agreement_policy.can(user, name, case) for name in agreement_policy.actions}
    clients = None if can["work"] else selectors.client_ids(case, user)
    views = selectors.agreement_views(case, only_for=clients, named=clients)
    # DESIGN §4: every page showing case content is audited, refusals included.
    audit_record(
        actor=actor(request),
        action=Action.AGREEMENT_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": "agreement", "read_only": not can["work"]},
    )
    responsible = selectors.responsible_without_agreement(case)
    participants = {participant.pk: participant for participant in case.participants.all()}
    context: dict[str, Any] = {
        "case": case,
        "can": can,
        "can_see_case": case_policy.can(user, "view", case),
        "agreements": [
            (view, [_item_panel(item, participants, can, bound) for item in view.items])
            for view in views
        ],
        "drafting": case.stage in DRAFTING_STAGES,
        "monitoring": case.stage in MONITORING_STAGES,
        "earliest": selectors.earliest_agreement_date(case),
        "refused": refused,
        "today": timezone.localdate(),
    }
    if can["work"] and case.stage in DRAFTING_STAGES and responsible:
        labels = _labels(case, responsible)
        context["create_form"] = bound.get("create") or AgreementCreateForm(
            responsible=case.participants.filter(pk__in=labels),
            labels=labels,
            initial={"made_on": timezone.localdate()},
        )
    return render(request, "agreements/agreement_page.html", context, status=status)


def _labels(case: Case, participants: list[Participant]) -> dict[int, str]:
    from amends.cases.selectors import participant_label

    return {p.pk: participant_label(p, case.programme) for p in participants}


@require_GET
@login_required
def agreement_page(request: HttpRequest, reference: str) -> HttpResponse:
    return page(request, load_case(request, reference))


@require_POST
@login_required
def agreement_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = load_case(request, reference, "work")
    responsible = selectors.responsible_without_agreement(case)
    labels = _labels(case, responsible)
    form = AgreementCreateForm(
        request.POST, responsible=case.participants.filter(pk__in=labels), labels=labels
    )
    return submit(
        request,
        case,
        form,
        key="create",
        not_done=_("The agreement was not started."),
        done=_("The agreement is started: add its items."),
        act=lambda data: agreement_create(
            actor=actor(request),
            case=case,
            responsible=data["responsible"],
            made_on=data["made_on"],
        ),
        page=page,
    )


@require_POST
@login_required
def item_consent(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    item = load_item(case, item_id)
    participant = (
        case.participants.select_related("person", "case__programme")
        .filter(pk=request.POST.get("participant") or 0)
        .first()
    )
    guardians = guardians_for(participant) if participant else Participant.objects.none()
    minor = participant is not None and is_minor(participant, timezone.localdate())
    key = f"consent{item.pk}_{participant.pk if participant else 0}"
    form = ItemConsentForm(
        request.POST, request.FILES, guardians=guardians, minor=minor, auto_id=f"id_{key}_%s"
    )

    def give(data: dict[str, Any]) -> object:
        if participant is None:
            raise ApplicationError(
                _("The consent was not recorded."),
                reasons=[_("Choose a person the item binds.")],
            )
        return consent_give(
            actor=actor(request),
            participant=participant,
            scope="agreement",
            agreement_item=item,
            kind=data["kind"],
            given_by=data.get("given_by"),
            sheet=information_sheet_for(participant),
            method=data["method"],
            witness=data["witness"],
            signature_name=data["signature_name"],
            document=data["document"],
        )

    return submit(
        request,
        case,
        form,
        key=key,
        not_done=_("The consent was not recorded."),
        done=_("The consent to the item is recorded."),
        act=give,
        page=page,
    )


@require_POST
@login_required
def item_confirm(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "confirm")
    item = load_item(case, item_id)
    return submit(
        request,
        case,
        ConfirmForm(request.POST, auto_id=f"id_confirm{item.pk}_%s"),
        key=f"confirm{item.pk}",
        not_done=_("The item was not confirmed."),
        done=_("The item is confirmed."),
        act=lambda data: agreement_item_confirm(
            actor=actor(request), item=item, reason=data["reason"]
        ),
        page=page,
    )


@require_POST
@login_required
def item_payment(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    item = load_item(case, item_id)
    return submit(
        request,
        case,
        PaymentForm(request.POST, auto_id=f"id_payment{item.pk}_%s"),
        key=f"payment{item.pk}",
        not_done=_("The payment was not recorded."),
        done=_("The payment is recorded."),
        act=lambda data: payment_record(
            actor=actor(request),
            item=item,
            paid_on=data["paid_on"],
            amount=data["amount"],
            reference=data["reference"],
            received_by=data["received_by"],
        ),
        page=page,
    )


@require_POST
@login_required
def item_hours(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    item = load_item(case, item_id)
    return submit(
        request,
        case,
        HoursForm(request.POST, auto_id=f"id_hours{item.pk}_%s"),
        key=f"hours{item.pk}",
        not_done=_("The hours were not recorded."),
        done=_("The hours are recorded; they count once verified."),
        act=lambda data: work_hours_log(
            actor=actor(request),
            item=item,
            worked_on=data["worked_on"],
            hours=data["hours"],
            placement=data["placement"],
        ),
        page=page,
    )


@require_POST
@login_required
def hours_verify(request: HttpRequest, reference: str, log_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    log = selectors.work_log_for_case(case, log_id)
    if log is None:
        raise Http404
    return submit(
        request,
        case,
        Form(request.POST),
        key=f"verify{log.pk}",
        not_done=_("The hours were not verified."),
        done=_("The hours are verified."),
        act=lambda data: work_hours_verify(actor=actor(request), log=log),
        page=page,
    )


@require_POST
@login_required
def item_status(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "work")
    item = load_item(case, item_id)
    return submit(
        request,
        case,
        StatusForm(request.POST, auto_id=f"id_status{item.pk}_%s"),
        key=f"status{item.pk}",
        not_done=_("The status was not changed."),
        done=_("The item's status is saved."),
        act=lambda data: agreement_item_set_status(
            actor=actor(request),
            item=item,
            status=data["status"],
            on=data["on"],
            reason=data["reason"],
        ),
        page=page,
    )


@require_POST
@login_required
def item_refer_back(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = load_case(request, reference, "manage")
    item = load_item(case, item_id)
    return submit(
        request,
        case,
        ReferBackForm(request.POST, auto_id=f"id_referback{item.pk}_%s"),
        key=f"referback{item.pk}",
        not_done=_("The item was not referred back."),
        done=_("The item is referred back."),
        act=lambda data: agreement_item_refer_back(
            actor=actor(request),
            item=item,
            referred_to=data["referred_to"],
            reason=data["reason"],
        ),
        page=page,
    )
