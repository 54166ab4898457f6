"""The meeting pages of a case: the list, scheduling, a meeting's page (moves, postponing,
cancelling, the video safety check, passing a concern on) and recording the session.

Every view loads the case or meeting through its policy (hidden → 404), calls one
service, and shows its refusal on the page, changing nothing. An advocate sees only the
participant's own meetings page (`participant_meetings`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.gates import GateResult
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import case_facts, case_page_participants, participant_label
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.meetings import selectors, services
from amends.meetings.forms import (
    EscalateForm,
    MeetingForm,
    MoveForm,
    NoteForm,
    SafetyCheckForm,
    SessionRecordForm,
)
from amends.meetings.gates import meeting_results
from amends.meetings.models import Meeting, MeetingKind, MeetingStatus, SessionRecord
from amends.meetings.permissions import meeting_policy

_IDS = {
    "move": "move_%s",
    "postpone": "postpone_%s",
    "cancel": "cancel_%s",
    "safety": "safety_%s",
    "escalate": "escalate_%s",
}


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(case_policy, request.user, action, reference=reference)


def _meeting(request: HttpRequest, reference: str, pk: int, action: str = "view") -> Meeting:
    return get_for_user_or_404(
        meeting_policy, request.user, action, pk=pk, case__reference=reference
    )


def _audit_view(request: HttpRequest, case: Case, page: str, **data: Any) -> None:
    # DESIGN §4: every page showing case content is audited.
    audit_record(
        actor=_actor(request),
        action=Action.CASE_VIEWED,
        target=case,
        programme=case.programme,
        data={"page": page, **data},
    )


def _status(error: ApplicationError) -> int:
    return 409 if error.status_code == 409 else 400


@require_GET
@login_required
def meeting_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    _audit_view(request, case, "meetings")
    context = {
        "case": case,
        "meetings": selectors.meetings_for_case(case),
        "can_work": case_policy.can(request.user, "work", case),
        "kinds": MeetingKind.choices,
        "now": timezone.now(),
    }
    return render(request, "meetings/meeting_list.html", context)


def _schedule_form(
    case: Case, data: Any = None, initial: dict[str, Any] | None = None
) -> MeetingForm:
    return MeetingForm(
        data,
        initial=initial,
        participants=case_page_participants(case),
        facilitators=selectors.assigned_facilitators(case),
        venues=selectors.venues_for_programme(case.programme, active_only=True),
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_schedule(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "work")
    kind = request.GET.get("kind", MeetingKind.PREPARATION)
    initial = {"kind": kind if kind in MeetingKind.values else MeetingKind.PREPARATION}
    form = _schedule_form(case, request.POST if request.method == "POST" else None, initial)
    refused: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_schedule(
                    actor=_actor(request),
                    case=case,
                    kind=data["kind"],
                    modality=data["modality"],
                    starts_at=form.starts_at(),
                    ends_at=form.ends_at(),
                    attendees=form.attendees(),
                    venue=data["venue"],
                    separate_waiting_booked=data["separate_waiting_booked"],
                    pause_plan=data["pause_plan"],
                )
            except ApplicationError as error:
                refused, status = error, _status(error)
            else:
                messages.success(
                    request, _("The meeting is scheduled; invitations are on their way.")
                )
                return redirect("meetings:detail", reference=case.reference, pk=meeting.pk)
        else:
            refused, status = form_refusal(_("The meeting was not scheduled."), form), 400
    context = {
        "case": case,
        "form": form,
        "refused": refused,
        "stage_notes": services.stage_problems(case, str(form["kind"].value() or initial["kind"])),
    }
    return render(request, "meetings/meeting_schedule.html", context, status=status)


def _detail(
    request: HttpRequest,
    meeting: Meeting,
    *,
    status: int = 200,
    refused: ApplicationError | None = None,
    forms: dict[str, Form] | None = None,
) -> HttpResponse:
    meeting = selectors.meeting_with_attendees(meeting)
    case = meeting.case
    _audit_view(request, case, "meeting", meeting=meeting.pk)
    record = (
        SessionRecord.objects.filter(meeting=meeting)
        .select_related("recorded_by", "escalated_by")
        .first()
    )
    safeguards: list[GateResult] = []
    if meeting.status == MeetingStatus.PLANNED:
        safeguards = meeting_results(case_facts(case), selectors.plan_of(meeting))
    context: dict[str, Any] = {
        "case": case,
        "meeting": meeting,
        "record": record,
        "can_work": meeting_policy.can(request.user, "work", meeting),
        "can_read_record": meeting_policy.can(request.user, "read_record", meeting),
        "video_link": selectors.video_link(meeting)
        if meeting_policy.can(request.user, "video_link", meeting)
        else "",
        "not_emailed": selectors.not_emailed(meeting),
        "safeguards": safeguards,
        "refused": refused,
        "started": meeting.starts_at <= timezone.now(),
        "move_form": MoveForm(
            auto_id=_IDS["move"],
            initial={
                "day": timezone.localtime(meeting.starts_at).date(),
                "starts": timezone.localtime(meeting.starts_at).time(),
                "ends": timezone.localtime(meeting.ends_at).time(),
            },
        ),
        "postpone_form": NoteForm(auto_id=_IDS["postpone"]),
        "cancel_form": NoteForm(auto_id=_IDS["cancel"]),
        "safety_form": SafetyCheckForm(auto_id=_IDS["safety"]),
        "escalate_form": EscalateForm(auto_id=_IDS["escalate"]),
    }
    context.update(forms or {})
    return render(request, "meetings/meeting_detail.html", context, status=status)


@require_GET
@login_required
def meeting_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    return _detail(request, _meeting(request, reference, pk))


def _act(
    request: HttpRequest,
    meeting: Meeting,
    form: Form,
    *,
    form_name: str,
    not_done: str,
    done: str,
    act: Callable[[Form], object],
) -> HttpResponse:
    """The shape of every form on the meeting page: check it, call one service, show its
    refusal on the page (changing nothing) or say what happened and go back."""
    if not form.is_valid():
        error = form_refusal(not_done, form)
        return _detail(request, meeting, status=400, refused=error, forms={form_name: form})
    try:
        act(form)
    except ApplicationError as error:
        meeting.refresh_from_db()
        return _detail(
            request, meeting, status=_status(error), refused=error, forms={form_name: form}
        )
    messages.success(request, done)
    return redirect("meetings:detail", reference=meeting.case.reference, pk=meeting.pk)


@require_POST
@login_required
def meeting_move(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, reference, pk, "work")
    return _act(
        request,
        meeting,
        MoveForm(request.POST, auto_id=_IDS["move"]),
        form_name="move_form",
        not_done=_("The meeting was not moved."),
        done=_("The meeting is moved; everyone invited gets the new time."),
        act=lambda form: services.meeting_move(
            actor=_actor(request),
            meeting=meeting,
            starts_at=form.starts_at(),  # type: ignore[attr-defined]
            ends_at=form.ends_at(),  # type: ignore[attr-defined]
        ),
    )


@require_POST
@login_required
def meeting_postpone(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, reference, pk, "work")
    return _act(
        request,
        meeting,
        NoteForm(request.POST, auto_id=_IDS["postpone"]),
        form_name="postpone_form",
        not_done=_("The meeting was not postponed."),
        done=_("The meeting is postponed. Move it to a new time when one is found."),
        act=lambda form: services.meeting_postpone(
            actor=_actor(request), meeting=meeting, note=form.cleaned_data["note"]
        ),
    )


@require_POST
@login_required
def meeting_cancel(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, reference, pk, "work")
    return _act(
        request,
        meeting,
        NoteForm(request.POST, auto_id=_IDS["cancel"]),
        form_name="cancel_form",
        not_done=_("The meeting was not cancelled."),
        done=_("The meeting is cancelled; everyone invited is told."),
        act=lambda form: services.meeting_cancel(
            actor=_actor(request), meeting=meeting, note=form.cleaned_data["note"]
        ),
    )


@require_POST
@login_required
def meeting_safety_check(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, reference, pk, "work")
    return _act(
        request,
        meeting,
        SafetyCheckForm(request.POST, auto_id=_IDS["safety"]),
        form_name="safety_form",
        not_done=_("The safety check is not complete; the session should not start yet."),
        done=_("The safety check is recorded."),
        act=lambda form: services.meeting_safety_check_record(
            actor=_actor(request), meeting=meeting, confirmed=form.cleaned_data["checks"]
        ),
    )


@require_POST
@login_required
def concern_escalate(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, reference, pk, "work")
    record = SessionRecord.objects.filter(meeting=meeting).first()

    def escalate(form: Form) -> object:
        if record is None:
            raise ApplicationError(
                _("The concern was not passed on."),
                reasons=[_("Record the session first.")],
            )
        return services.session_concern_escalate(
            actor=_actor(request),
            record=record,
            basis=form.cleaned_data["basis"],
            escalated_to=form.cleaned_data["escalated_to"],
        )

    return _act(
        request,
        meeting,
        EscalateForm(request.POST, auto_id=_IDS["escalate"]),
        form_name="escalate_form",
        not_done=_("The concern was not passed on."),
        done=_("The concern is passed on and the coordinator has a task to act on it today."),
        act=escalate,
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_record(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    meeting = selectors.meeting_with_attendees(_meeting(request, reference, pk, "work"))
    attendees: list[Any] = meeting.attendee_list  # type: ignore[attr-defined]
    data = request.POST if request.method == "POST" else None
    form = SessionRecordForm(data, attendees=attendees)
    refused: ApplicationError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_record_create(
                    actor=_actor(request),
                    meeting=meeting,
                    took_place=form.cleaned_data["took_place"] == "yes",
                    attended=form.cleaned_data["attended"],
                    outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["notes"],
                    disclosures=form.cleaned_data["disclosures"],
                    concern=form.cleaned_data["concern"],
                )
            except ApplicationError as error:
                refused, status = error, _status(error)
            else:
                messages.success(request, _("The session is recorded."))
                return redirect("meetings:detail", reference=reference, pk=meeting.pk)
        else:
            refused, status = form_refusal(_("The session was not recorded."), form), 400
    _audit_view(request, meeting.case, "session_record", meeting=meeting.pk)
    context = {"case": meeting.case, "meeting": meeting, "form": form, "refused": refused}
    return render(request, "meetings/session_record.html", context, status=status)


@require_GET
@login_required
def participant_meetings(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    """One participant's own meetings: what their advocate may see (their times, the
    kind, the place), never who else attends, the notes, or the video link."""
    participant: Participant = get_for_user_or_404(
        participant_policy, request.user, "view", pk=participant_id, case__reference=reference
    )
    case = participant.case
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant.person,
        programme=case.programme,
        data={"case": case.pk, "participant": participant.pk, "page": "meetings"},
    )
    context = {
        "case": case,
        "participant": participant,
        "label": participant_label(participant, case.programme),
        "places": selectors.participant_meetings(participant),
        "works_on_case": case_policy.can(request.user, "view", case),
    }
    return render(request, "meetings/participant_meetings.html", context)
