"""The follow-up pages for staff: a case's check-ins and surveys, one participant's (the
page an advocate may open for the person they support), recording a check-in, recording
that follow-up is not possible, sending the survey and entering answers from paper.

Every view loads its case, participant or check-in through the policy (hidden → 404),
calls one service, and shows its reasons when it refuses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404
from amends.followups import selectors
from amends.followups.forms import CheckInForm, NotPossibleForm, SurveyForm, posted
from amends.followups.models import CheckIn
from amends.followups.permissions import check_in_policy, may_read_answers
from amends.followups.services import (
    check_in_record,
    follow_up_not_possible,
    survey_response_record,
    survey_send,
)

_REFUSED = 400


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _participant(
    request: HttpRequest, reference: str, participant_id: int, action: str = "view"
) -> Participant:
    return get_for_user_or_404(
        participant_policy, request.user, action, pk=participant_id, case__reference=reference
    )


def _audit_view(
    request: HttpRequest, case: Case, participant: Participant | None, page: str
) -> None:
    # DESIGN §4: every view of a case or a person's record is audited, refusals included.
    if participant is None:
        audit_record(
            actor=_actor(request),
            action=Action.CASE_VIEWED,
            target=case,
            programme=case.programme,
            data={"page": page},
        )
        return
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant,
        programme=case.programme,
        data={"page": page, "case": case.pk},
    )


@require_GET
@login_required
def case_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    case: Case = get_for_user_or_404(case_policy, request.user, "view", reference=reference)
    _audit_view(request, case, None, "follow_up")
    people = selectors.participant_follow_ups(
        selectors.case_follow_up_participants(case), with_answers=True
    )
    context = {
        "case": case,
        "people": people,
        "can_work": case_policy.can(request.user, "work", case),
        "unmet": selectors.follow_up_unmet(case),
    }
    return render(request, "followups/case_follow_up.html", context)


def _participant_page(
    request: HttpRequest,
    participant: Participant,
    *,
    refused: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    case = participant.case
    _audit_view(request, case, participant, "follow_up")
    full = may_read_answers(request.user, case)
    (item,) = selectors.participant_follow_ups([participant], with_answers=full)
    context = {
        "case": case,
        "participant": participant,
        "item": item,
        "full": full,
        "can_work": participant_policy.can(request.user, "work", participant),
        "refused": refused,
    }
    return render(request, "followups/participant_follow_up.html", context, status=status)


@require_GET
@login_required
def participant_follow_up(
    request: HttpRequest, reference: str, participant_id: int
) -> HttpResponse:
    return _participant_page(request, _participant(request, reference, participant_id))


@require_http_methods(["GET", "POST"])
@login_required
def check_in_page(request: HttpRequest, reference: str, check_in_id: int) -> HttpResponse:
    check_in: CheckIn = get_for_user_or_404(
        check_in_policy, request.user, "record", pk=check_in_id, case__reference=reference
    )
    form = CheckInForm(posted(request))
    refused: ApplicationError | None = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_in_record(
                    actor=_actor(request),
                    check_in=check_in,
                    outcome=data["outcome"],
                    occurred_on=data["occurred_on"],
                    notes=data["notes"],
                    wellbeing=data["wellbeing"],
                    further_support_needed=data["further_support_needed"],
                )
            except ApplicationError as error:
                refused = error
            else:
                messages.success(request, _("The check-in is recorded."))
                return redirect("followups:case", reference=reference)
        else:
            refused = ApplicationError(_("The check-in was not recorded."))
    return _form_page(
        request,
        check_in.participant,
        "followups/check_in_record.html",
        {"form": form, "check_in": check_in, "refused": refused},
        status=_status(request, refused),
    )


def _status(request: HttpRequest, refused: ApplicationError | None) -> int:
    if refused is not None:
        return refused.status_code
    return _REFUSED if request.method == "POST" else 200


def _form_page(
    request: HttpRequest,
    participant: Participant,
    template: str,
    context: dict[str, Any],
    *,
    status: int,
) -> HttpResponse:
    case = participant.case
    _audit_view(request, case, participant, template.rsplit("/", 1)[-1].removesuffix(".html"))
    context = {
        "case": case,
        "participant": participant,
        "label": selectors.participant_label(participant, case.programme),
        **context,
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def not_possible_page(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    form = NotPossibleForm(posted(request))
    refused: ApplicationError | None = None
    if request.method == "POST":
        if form.is_valid():
            try:
                follow_up_not_possible(
                    actor=_actor(request),
                    participant=participant,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as error:
                refused = error
            else:
                messages.success(
                    request, _("Follow-up is recorded as not possible, with the reason.")
                )
                return redirect("followups:case", reference=reference)
        else:
            refused = ApplicationError(_("Follow-up was not recorded as not possible."))
    return _form_page(
        request,
        participant,
        "followups/not_possible.html",
        {"form": form, "refused": refused},
        status=_status(request, refused),
    )


@require_POST
@login_required
def survey_send_page(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    try:
        invitation = survey_send(actor=_actor(request), participant=participant)
    except ApplicationError as error:
        return _participant_page(request, participant, refused=error, status=error.status_code)
    messages.success(
        request,
        _("The survey link is on its way by e-mail. It works once, until %(date)s.")
        % {"date": timezone.localdate(invitation.expires_at).isoformat()},
    )
    return redirect("followups:participant", reference=reference, participant_id=participant.pk)


@require_http_methods(["GET", "POST"])
@login_required
def survey_paper_page(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    instrument = selectors.survey_instrument_for(participant)
    form = SurveyForm(posted(request), questions=instrument.questions if instrument else [])
    refused: ApplicationError | None = None
    if request.method == "POST":
        if form.is_valid():
            try:
                survey_response_record(
                    actor=_actor(request), participant=participant, answers=form.answers()
                )
            except ApplicationError as error:
                refused = error
            else:
                messages.success(request, _("The answers are saved."))
                return redirect(
                    "followups:participant", reference=reference, participant_id=participant.pk
                )
        else:
            refused = ApplicationError(_("The answers were not saved."))
    return _form_page(
        request,
        participant,
        "followups/survey_paper.html",
        {"form": form, "instrument": instrument, "refused": refused},
        status=_status(request, refused),
    )
