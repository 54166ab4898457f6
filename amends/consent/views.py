"""The consent pages of a participant: the ledger, giving consent, withdrawing it, and the
uploaded signed forms. Every view loads the participant through the policy (hidden →
404), calls one service, and shows its reasons when it refuses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import is_minor, participant_label
from amends.cases.stages import CaseStage
from amends.consent import rules, selectors
from amends.consent.forms import ConsentGiveForm, ConsentWithdrawForm
from amends.consent.models import ConsentKind
from amends.consent.services import consent_give, consent_withdraw
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404
from amends.programmes.selectors import settings_for

_STATUS_REFUSED = 400


def _participant(
    request: HttpRequest, reference: str, participant_id: int, action: str = "view"
) -> Participant:
    return get_for_user_or_404(
        participant_policy,
        request.user,
        action,
        pk=participant_id,
        case__reference=reference,
    )


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _common(request: HttpRequest, participant: Participant) -> dict[str, Any]:
    case = participant.case
    return {
        "case": case,
        "participant": participant,
        "label": participant_label(participant, case.programme),
        "can_see_case": case_policy.can(request.user, "view", case),
        "can_give": participant_policy.can(request.user, "work", participant)
        and case.stage != CaseStage.CLOSED,
        "can_withdraw": participant_policy.can(request.user, "withdraw", participant),
    }


def _add_reasons(form: Any, error: ApplicationError) -> None:
    for reason in error.reasons or [error.message]:
        form.add_error(None, reason)


@require_GET
@login_required
def participant_consent(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id)
    # DESIGN §4: every view of a person's record is audited.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant,
        programme=participant.case.programme,
        data={"page": "consent", "case": participant.case_id},
    )
    today = timezone.localdate()
    context = {
        **_common(request, participant),
        "lines": selectors.consent_state_for_participant(participant, today),
        "history": [
            {"entry": entry, "subject": selectors.subject_label(entry)}
            for entry in selectors.consent_history(participant)
        ],
        "is_minor": is_minor(participant, today),
    }
    return render(request, "consent/participant_consent.html", context)


def _give_form(participant: Participant, data: Any = None, files: Any = None) -> ConsentGiveForm:
    programme = participant.case.programme
    minor = is_minor(participant, timezone.localdate())
    return ConsentGiveForm(
        data,
        files,
        offered=list(settings_for(programme).process_types),
        channels=selectors.safe_channels_for(participant),
        guardians=[
            (guardian, participant_label(guardian, programme))
            for guardian in selectors.guardians_for(participant)
        ],
        sheets=selectors.information_sheet_choices(participant),
        current_sheet=selectors.information_sheet_for(participant),
        initial={
            "kind": ConsentKind.GUARDIAN if minor else ConsentKind.CONSENT,
            "process_type": participant.case.process_type,
        },
    )


def _give_page(
    request: HttpRequest, participant: Participant, form: ConsentGiveForm, status: int = 200
) -> HttpResponse:
    # DESIGN §4: every page showing a person's record is audited, refusals included.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant,
        programme=participant.case.programme,
        data={"page": "consent_give", "case": participant.case_id},
    )
    context = {
        **_common(request, participant),
        "form": form,
        "current_sheet": selectors.information_sheet_for(participant),
        "is_minor": is_minor(participant, timezone.localdate()),
    }
    return render(request, "consent/consent_give.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def consent_give_page(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    if request.method != "POST":
        return _give_page(request, participant, _give_form(participant))
    form = _give_form(participant, request.POST, request.FILES)
    if not form.is_valid():
        return _give_page(request, participant, form, status=_STATUS_REFUSED)
    data = form.cleaned_data
    try:
        consent_give(
            actor=_actor(request),
            participant=participant,
            scope=data["scope"],
            process_type=data["process_type"],
            partner=data["partner"],
            channel=data["channel"],
            kind=data["kind"],
            given_by=data["given_by"],
            sheet=data["sheet"],
            method=data["method"],
            witness=data["witness"],
            signature_name=data["signature_name"],
            document=data["document"],
        )
    except ApplicationError as error:
        _add_reasons(form, error)
        return _give_page(request, participant, form, status=_STATUS_REFUSED)
    messages.success(request, _("The consent is recorded."))
    return redirect(
        "consent:participant", reference=participant.case.reference, participant_id=participant.pk
    )


def _withdraw_page(
    request: HttpRequest, participant: Participant, form: ConsentWithdrawForm, status: int = 200
) -> HttpResponse:
    # DESIGN §4: every page showing a person's record is audited, refusals included.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant,
        programme=participant.case.programme,
        data={"page": "consent_withdraw", "case": participant.case_id},
    )
    lines = selectors.consent_state_for_participant(participant, timezone.localdate())
    context = {
        **_common(request, participant),
        "form": form,
        "withdrawable": [line for line in lines if line.can_withdraw],
    }
    return render(request, "consent/consent_withdraw.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def consent_withdraw_page(
    request: HttpRequest, reference: str, participant_id: int
) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "withdraw")
    if request.method != "POST":
        return _withdraw_page(request, participant, ConsentWithdrawForm())
    form = ConsentWithdrawForm(request.POST)
    if not form.is_valid():
        form.add_error(None, _("Choose the consent to withdraw."))
        return _withdraw_page(request, participant, form, status=_STATUS_REFUSED)
    entry = selectors.consent_entry_for_participant(participant, form.cleaned_data["entry"])
    if entry is None:
        form.add_error(None, _("Choose the consent to withdraw."))
        return _withdraw_page(request, participant, form, status=_STATUS_REFUSED)
    was_paused = participant.case.stage == CaseStage.PAUSED
    try:
        consent_withdraw(
            actor=_actor(request),
            participant=participant,
            scope=entry.scope,
            process_type=entry.process_type,
            partner=entry.partner,
            channel=entry.channel,
            agreement_item=entry.agreement_item,
            kind=entry.kind,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        _add_reasons(form, error)
        return _withdraw_page(request, participant, form, status=_STATUS_REFUSED)
    participant.case.refresh_from_db(fields=["stage"])
    messages.success(request, _("The withdrawal is recorded."))
    if participant.case.stage == CaseStage.PAUSED and not was_paused:
        messages.info(
            request,
            _(
                "The case is paused. The facilitators and the coordinator have been told and "
                "have a task to review it."
            ),
        )
    return redirect(
        "consent:participant", reference=participant.case.reference, participant_id=participant.pk
    )


@require_GET
@login_required
def consent_document(
    request: HttpRequest, reference: str, participant_id: int, entry_id: int
) -> FileResponse:
    participant = _participant(request, reference, participant_id)
    entry = selectors.consent_entry_for_participant(participant, entry_id)
    if entry is None or not entry.document:
        raise Http404
    extension = entry.document.name.rsplit(".", 1)[-1].lower() if entry.document.name else ""
    content_type = rules.CONTENT_TYPES.get(extension)
    if content_type is None:
        raise Http404
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant,
        programme=participant.case.programme,
        data={"page": "consent_document", "case": participant.case_id, "entry": entry.pk},
    )
    response = FileResponse(
        entry.document.open("rb"),
        as_attachment=True,
        filename=f"consent-{participant.case.reference}-{entry.pk}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
