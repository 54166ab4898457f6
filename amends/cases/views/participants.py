"""A participant's page and the work recorded on it: contact (G10), information (G3),
acknowledgment (G2), contact channels, conflicts of interest (G6).

An advocate reaches only the participant they support and sees that person, their own
contact details and the case's stage: never case notes, never the other party.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases import services
from amends.cases.forms import (
    AcknowledgmentForm,
    AdvocateForm,
    BirthDateForm,
    ChannelForm,
    ConflictForm,
    ContactForm,
    FacilitatorPreferenceForm,
    InformationForm,
    ParticipantAddForm,
)
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import (
    current_information_sheets,
    participant_label,
    participant_page,
    programme_members_with_role,
)
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.facilitators.services import conflict_declare as conflict_declare_service
from amends.people.services import contact_channel_add, person_set_birth_date

# The page holds several forms with fields of the same name ("method", "notes"): each
# form's ids get their own prefix, so every label points at its own field.
_IDS = {
    "contact": "contact_%s",
    "channel": "channel_%s",
    "information": "information_%s",
    "acknowledgment": "acknowledgment_%s",
    "conflict": "conflict_%s",
    "birth_date": "birth_date_%s",
    "advocate": "advocate_%s",
    "preference": "preference_%s",
}


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


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


@require_GET
@login_required
def participant_detail(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id)
    return _page(request, participant)


def _page(
    request: HttpRequest,
    participant: Participant,
    *,
    status: int = 200,
    forms: dict[str, Form] | None = None,
    refused: ApplicationError | None = None,
) -> HttpResponse:
    case = participant.case
    # DESIGN §4: every page showing a person's record is audited, refusals included.
    audit_record(
        actor=_actor(request),
        action=Action.PERSON_VIEWED,
        target=participant.person,
        programme=case.programme,
        data={"case": participant.case_id, "participant": participant.pk},
    )
    works_on_case = participant_policy.can(request.user, "work", participant)
    context: dict[str, Any] = {
        "case": case,
        "participant": participant,
        "label": participant_label(participant, case.programme),
        "works_on_case": works_on_case,
        "refused": refused,
    }
    if works_on_case:
        context.update(participant_page(participant))
        channels = participant.person.channels.order_by("id")
        context.update(
            contact_form=ContactForm(channels=channels, auto_id=_IDS["contact"]),
            channel_form=ChannelForm(auto_id=_IDS["channel"]),
            information_form=InformationForm(
                sheets=current_information_sheets(case.programme), auto_id=_IDS["information"]
            ),
            acknowledgment_form=AcknowledgmentForm(
                auto_id=_IDS["acknowledgment"], initial={"acknowledged_on": timezone.localdate()}
            ),
            conflict_form=ConflictForm(auto_id=_IDS["conflict"]),
            birth_date_form=BirthDateForm(
                auto_id=_IDS["birth_date"],
                initial={"date_of_birth": participant.person.date_of_birth},
            ),
            advocate_form=AdvocateForm(
                advocates=programme_members_with_role(case.programme, Role.ADVOCATE),
                auto_id=_IDS["advocate"],
                initial={"advocate": participant.advocate_id},
            ),
            preference_form=FacilitatorPreferenceForm(
                auto_id=_IDS["preference"],
                initial={"gender": participant.preferred_facilitator_gender},
            ),
            is_responsible=participant.role == ParticipantRole.RESPONSIBLE,
        )
    else:
        context["channels"] = participant.person.channels.order_by("id")
    context.update(forms or {})
    return render(request, "cases/participant_detail.html", context, status=status)


def _refused(
    request: HttpRequest, participant: Participant, error: ApplicationError, **forms: Form
) -> HttpResponse:
    return _page(request, participant, status=400, forms=forms, refused=error)


def _done(request: HttpRequest, participant: Participant, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(
        "cases:participant", reference=participant.case.reference, participant_id=participant.pk
    )


@require_http_methods(["POST"])
@login_required
def contact_add(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    form = ContactForm(
        request.POST, channels=participant.person.channels.all(), auto_id=_IDS["contact"]
    )
    if not form.is_valid():
        error = form_refusal(_("The contact was not recorded."), form)
        return _refused(request, participant, error, contact_form=form)
    try:
        services.contact_record(
            actor=_actor(request),
            participant=participant,
            method=form.cleaned_data["method"],
            channel=form.cleaned_data["channel"],
            outcome=form.cleaned_data["outcome"],
            occurred_at=form.cleaned_data["occurred_at"],
            minutes=form.cleaned_data["minutes"],
            notes=form.cleaned_data["notes"],
        )
    except ApplicationError as error:
        return _refused(request, participant, error, contact_form=form)
    return _done(request, participant, _("The contact is recorded."))


@require_http_methods(["POST"])
@login_required
def channel_add(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    form = ChannelForm(request.POST, auto_id=_IDS["channel"])
    if not form.is_valid():
        error = form_refusal(_("The contact channel was not added."), form)
        return _refused(request, participant, error, channel_form=form)
    try:
        contact_channel_add(actor=_actor(request), person=participant.person, **form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, participant, error, channel_form=form)
    return _done(request, participant, _("The contact channel is added."))


@require_http_methods(["POST"])
@login_required
def information_add(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    form = InformationForm(
        request.POST,
        sheets=current_information_sheets(participant.case.programme),
        auto_id=_IDS["information"],
    )
    if not form.is_valid():
        error = form_refusal(_("The information was not recorded."), form)
        return _refused(request, participant, error, information_form=form)
    try:
        services.information_give(
            actor=_actor(request), participant=participant, **form.cleaned_data
        )
    except ApplicationError as error:
        return _refused(request, participant, error, information_form=form)
    return _done(request, participant, _("The information given is recorded."))


@require_http_methods(["POST"])
@login_required
def acknowledgment_add(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    participant = _participant(request, reference, participant_id, "work")
    form = AcknowledgmentForm(request.POST, auto_id=_IDS["acknowledgment"])
    if not form.is_valid():
        error = form_refusal(_("The acknowledgment was not recorded."), form)
        return _refused(request, participant, error, acknowledgment_form=form)
    try:
        services.acknowledgment_record(
            actor=_actor(request), participant=participant, **form.cleaned_data
        )
    except ApplicationError as error:
        return _refused(request, participant, error, acknowledgment_form=form)
    return _done(request, participant, _("The acknowledgment is recorded."))


@require_http_methods(["POST"])
@login_required
def conflict_declare(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    """The signed-in facilitator declares they know this person (G6)."""
    participant = _participant(request, reference, participant_id, "work")
    form = ConflictForm(request.POST, auto_id=_IDS["conflict"])
    if not form.is_valid():
        error = form_refusal(_("The conflict was not recorded."), form)
        return _refused(request, participant, error, conflict_form=form)
    try:
        conflict_declare_service(
            actor=_actor(request),
            facilitator=_actor(request),
            person=participant.person,
            description=form.cleaned_data["description"],
        )
    except PermissionRefused as refusal:
        raise PermissionDenied(refusal.message) from refusal
    messages.success(
        request,
        _("Your conflict of interest is recorded. Ask the coordinator to assign someone else."),
    )
    return redirect(
        "cases:participant", reference=participant.case.reference, participant_id=participant.pk
    )


@require_http_methods(["GET", "POST"])
@login_required
def participant_add(request: HttpRequest, reference: str) -> HttpResponse:
    case: Case = get_for_user_or_404(case_policy, request.user, "work", reference=reference)
    participants = case.participants.select_related("person").order_by("id")
    form = ParticipantAddForm(
        request.POST or None, participants=participants, programme=case.programme
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                added = _add_participant(request, case, form.cleaned_data)
            except ApplicationError as error:
                form.add_error(None, error.message)
                for reason in error.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, _("The participant is added."))
                return redirect(
                    "cases:participant", reference=case.reference, participant_id=added.pk
                )
    return render(
        request, "cases/participant_add.html", {"case": case, "form": form}, status=status
    )


def _add_participant(request: HttpRequest, case: Case, data: dict[str, Any]) -> Participant:
    role, guardian_for = data.pop("role"), data.pop("guardian_for")
    return services.participant_add_new_person(
        actor=_actor(request), case=case, role=role, guardian_for=guardian_for, person_fields=data
    )


@require_http_methods(["POST"])
@login_required
def birth_date_set(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    """Record or correct the date of birth (it decides who must consent, G3)."""
    participant = _participant(request, reference, participant_id, "work")
    form = BirthDateForm(request.POST, auto_id=_IDS["birth_date"])
    if not form.is_valid():
        error = form_refusal(_("The date of birth was not saved."), form)
        return _refused(request, participant, error, birth_date_form=form)
    try:
        person_set_birth_date(
            actor=_actor(request),
            person=participant.person,
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    except ApplicationError as error:
        return _refused(request, participant, error, birth_date_form=form)
    return _done(request, participant, _("The date of birth is saved."))


@require_http_methods(["POST"])
@login_required
def facilitator_preference_set(
    request: HttpRequest, reference: str, participant_id: int
) -> HttpResponse:
    """Record the facilitator gender this person asked for (or none)."""
    participant = _participant(request, reference, participant_id, "work")
    form = FacilitatorPreferenceForm(request.POST, auto_id=_IDS["preference"])
    if not form.is_valid():
        error = form_refusal(_("The preference was not changed."), form)
        return _refused(request, participant, error, preference_form=form)
    try:
        services.participant_set_facilitator_preference(
            actor=_actor(request), participant=participant, gender=form.cleaned_data["gender"]
        )
    except ApplicationError as error:
        return _refused(request, participant, error, preference_form=form)
    return _done(request, participant, _("The preference is saved."))


@require_http_methods(["POST"])
@login_required
def advocate_set(request: HttpRequest, reference: str, participant_id: int) -> HttpResponse:
    """Name the victim advocate who supports this participant (or nobody)."""
    participant = _participant(request, reference, participant_id, "work")
    form = AdvocateForm(
        request.POST,
        advocates=programme_members_with_role(participant.case.programme, Role.ADVOCATE),
        auto_id=_IDS["advocate"],
    )
    if not form.is_valid():
        error = form_refusal(_("The advocate was not changed."), form)
        return _refused(request, participant, error, advocate_form=form)
    try:
        services.participant_set_advocate(
            actor=_actor(request), participant=participant, advocate=form.cleaned_data["advocate"]
        )
    except ApplicationError as error:
        return _refused(request, participant, error, advocate_form=form)
    return _done(request, participant, _("The advocate is saved."))
