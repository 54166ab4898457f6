"""Forms of the case pages. They check shape only; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.cases.models import (
    AcknowledgmentMethod,
    ContactMethod,
    ContactOutcome,
    Participant,
    ParticipantRole,
)
from amends.cases.selectors import participant_label
from amends.cases.stages import ClosureReason, PauseReason
from amends.core.forms import offer_members
from amends.people.models import ContactChannel, Gender
from amends.programmes.models import InformationSheet, ProcessType

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class NextActionFields(forms.Form):
    next_action = forms.CharField(
        label=_("Next action"),
        max_length=200,
        help_text=_("What must happen next on this case, in a few words."),
    )
    next_action_due = forms.DateField(label=_("Due"), widget=DateInput())


class MoveForm(NextActionFields):
    target = forms.CharField(widget=forms.HiddenInput)
    expected_stage = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResumeForm(NextActionFields):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PauseForm(forms.Form):
    expected_stage = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Why pause the case?"), choices=PauseReason.choices)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    expected_stage = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Why close the case?"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_(
            "Required when the reason is “Other”, and when a completed case closes before "
            "its follow-up is done: say why."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanForm(NextActionFields):
    process_type = forms.ChoiceField(label=_("Planned process"), required=False)
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=80,
        help_text=_("Where the case happens; facilitators who work there are suggested first."),
    )

    def __init__(self, *args: Any, offered: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ProcessType.choices)
        self.fields["process_type"].choices = [("", _("Not chosen yet"))] + [  # type: ignore[attr-defined]
            (value, labels[value]) for value in ProcessType.values if value in offered
        ]


class AssignForm(forms.Form):
    facilitator = forms.ModelChoiceField(label=_("Facilitator"), queryset=User.objects.none())
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, facilitators: Any, listable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_members(self, "facilitator", facilitators, listable=listable)


class SafeChoiceField(forms.TypedChoiceField):
    """Yes/no with no default: whether a channel is safe must be decided (G10)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            **kwargs,
        )


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactChannel.Kind.choices)
    value = forms.CharField(label=_("Number, address or details"), max_length=300)
    is_safe = SafeChoiceField(
        label=_("Is it safe to contact the person this way?"),
        help_text=_(
            "Say no for a shared phone, a shared address or anything the other party may see."
        ),
    )
    safe_times = forms.CharField(label=_("Safe times (optional)"), required=False, max_length=200)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ParticipantAddForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the case"), choices=ParticipantRole.choices)
    guardian_for = forms.ModelChoiceField(
        label=_("Parent or guardian for"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("Only for a parent or guardian."),
    )
    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    preferred_language = forms.CharField(label=_("Language"), max_length=8, required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, participants: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["guardian_for"]
        field.queryset = participants  # type: ignore[attr-defined]
        field.label_from_instance = lambda participant: participant_label(  # type: ignore[attr-defined]
            participant, programme
        )


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=ContactMethod.choices)
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=ContactChannel.objects.none(),
        required=False,
        help_text=_("Channels marked unsafe must never be used."),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ContactOutcome.choices)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(
        label=_("Time spent (minutes)"), min_value=0, max_value=1440, initial=0
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, channels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        field.queryset = channels  # type: ignore[attr-defined]
        field.label_from_instance = _channel_label  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


def _channel_label(channel: ContactChannel) -> str:
    text = f"{channel.get_kind_display()}: {channel.value}"
    if not channel.is_safe:
        return str(_("%(channel)s — UNSAFE, never use") % {"channel": text})
    if channel.safe_times:
        return f"{text} ({channel.safe_times})"
    return text


class InformationForm(forms.Form):
    sheet = forms.ModelChoiceField(
        label=_("Information sheet"), queryset=InformationSheet.objects.none()
    )
    method = forms.ChoiceField(label=_("How was it given?"), choices=ContactMethod.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    legal_advice_offered = forms.BooleanField(label=_("Legal advice was offered"), required=False)
    interpreter_offered = forms.BooleanField(label=_("An interpreter was offered"), required=False)

    def __init__(self, *args: Any, sheets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sheet"].queryset = sheets  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())
            only = list(sheets[:2])
            if len(only) == 1:
                self.initial.setdefault("sheet", only[0].pk)


class AcknowledgmentForm(forms.Form):
    acknowledged_on = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=AcknowledgmentMethod.choices)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(forms.Form):
    description = forms.CharField(
        label=_("How do you know this person? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BirthDateForm(forms.Form):
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())


class FacilitatorPreferenceForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Asked for a facilitator who is"),
        choices=[("", _("No preference"))] + list(Gender.choices),
        required=False,
        help_text=_("Only facilitators who match are suggested for this case."),
    )


class AdvocateForm(forms.Form):
    advocate = forms.ModelChoiceField(
        label=_("Victim advocate"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        help_text=_("They will see this person and the case's stage, nothing else."),
    )

    def __init__(self, *args: Any, advocates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = advocates  # type: ignore[attr-defined]


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("The coordinator gets the case's unassigned tasks and its withdrawal e-mails."),
    )

    def __init__(self, *args: Any, coordinators: Any, listable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_members(self, "coordinator", coordinators, listable=listable)
