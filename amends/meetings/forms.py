"""Forms of the meeting pages. They check shape only; the services decide and explain.

Times are entered as a date and times of day in the installation's time zone; each
invitee has their own optional arrival and departure time (blank: the meeting's start
and end), so the parties of a domestic-abuse case can be staggered (G7).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.cases.models import Participant
from amends.meetings.models import (
    Attendee,
    LegalBasis,
    MeetingKind,
    Modality,
    SessionOutcome,
    Venue,
)
from amends.meetings.services import SAFETY_CHECKS, AttendeeInput

TEXTAREA = {"rows": 3}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a time of day, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


class WhenFields(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends = forms.TimeField(label=_("Ends at"), widget=TimeInput())

    def starts_at(self) -> datetime.datetime:
        return at(self.cleaned_data["day"], self.cleaned_data["starts"])

    def ends_at(self) -> datetime.datetime:
        return at(self.cleaned_data["day"], self.cleaned_data["ends"])


class MeetingForm(WhenFields):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    modality = forms.ChoiceField(label=_("How"), choices=Modality.choices, widget=forms.RadioSelect)
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.none(),
        required=False,
        help_text=_("For a meeting in person."),
    )
    separate_waiting_booked = forms.BooleanField(
        label=_("The venue's separate waiting areas are booked"), required=False
    )
    pause_plan = forms.CharField(
        label=_("If the session must pause (video)"),
        required=False,
        help_text=_("The signal, who moves where, and how you ring each person back."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants invited"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facilitators = forms.ModelMultipleChoiceField(
        label=_("Facilitators invited"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = [
        "kind",
        "modality",
        "day",
        "starts",
        "ends",
        "venue",
        "separate_waiting_booked",
        "participants",
        "facilitators",
        "pause_plan",
    ]

    def __init__(
        self,
        *args: Any,
        participants: list[Participant],
        facilitators: QuerySet[User],
        venues: QuerySet[Venue],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        programme_participants = Participant.objects.filter(pk__in=[p.pk for p in participants])
        self.fields["participants"].queryset = programme_participants  # type: ignore[attr-defined]
        # `case_page_participants` has labelled them in the programme's words already.
        labels = {p.pk: str(getattr(p, "label", "")) for p in participants}
        self.fields["participants"].label_from_instance = lambda p: labels.get(p.pk, "")  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = facilitators  # type: ignore[attr-defined]
        self.fields["facilitators"].label_from_instance = lambda u: u.full_name or u.email  # type: ignore[attr-defined]
        self.fields["venue"].queryset = venues  # type: ignore[attr-defined]
        self._time_fields: list[tuple[str, str, str]] = []
        for prefix, people in (
            ("p", [(p.pk, labels[p.pk]) for p in participants]),
            ("u", [(u.pk, u.full_name or u.email) for u in facilitators]),
        ):
            for pk, label in people:
                arrive, leave = f"arrives_{prefix}{pk}", f"leaves_{prefix}{pk}"
                self.fields[arrive] = forms.TimeField(
                    label=_("%(person)s arrives") % {"person": label},
                    required=False,
                    widget=TimeInput(),
                )
                self.fields[leave] = forms.TimeField(
                    label=_("%(person)s leaves") % {"person": label},
                    required=False,
                    widget=TimeInput(),
                )
                self._time_fields.append((label, arrive, leave))

    @property
    def time_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """Each invitee's own arrival and departure fields, for the page."""
        return [(label, self[arrive], self[leave]) for label, arrive, leave in self._time_fields]

    def attendees(self) -> list[AttendeeInput]:
        """The invitees with their own times, as the service takes them."""
        day = self.cleaned_data["day"]
        data = self.cleaned_data

        def when(name: str) -> datetime.datetime | None:
            value = data.get(name)
            return at(day, value) if value else None

        invited = [
            AttendeeInput(
                participant=participant,
                arrives_at=when(f"arrives_p{participant.pk}"),
                leaves_at=when(f"leaves_p{participant.pk}"),
            )
            for participant in data["participants"]
        ]
        invited.extend(
            AttendeeInput(
                user=user,
                arrives_at=when(f"arrives_u{user.pk}"),
                leaves_at=when(f"leaves_u{user.pk}"),
            )
            for user in data["facilitators"]
        )
        return invited


class MoveForm(WhenFields):
    """A new start and end for a meeting; the service re-checks the gates and re-plans
    the invitations and reminders."""


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SafetyCheckForm(forms.Form):
    checks = forms.MultipleChoiceField(
        label=_("Before the session starts"),
        choices=SAFETY_CHECKS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


TOOK_PLACE = [("yes", _("Yes, it took place")), ("no", _("No: someone did not come"))]


class SessionRecordForm(forms.Form):
    took_place = forms.ChoiceField(
        label=_("Did the meeting take place?"), choices=TOOK_PLACE, widget=forms.RadioSelect
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Who came"),
        queryset=Attendee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=SessionOutcome.choices)
    notes = forms.CharField(
        label=_("Restricted notes"),
        required=False,
        help_text=_("Read only by the case's facilitators, coordinator and supervisors."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    disclosures = forms.CharField(
        label=_("Disclosures"),
        required=False,
        help_text=_("Anything disclosed that may need action. Restricted like the notes."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    concern = forms.CharField(
        label=_("Safeguarding concern"),
        required=False,
        help_text=_("Describe it here; pass it on from the meeting page, with its legal basis."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args: Any, attendees: list[Attendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = Attendee.objects.filter(pk__in=[a.pk for a in attendees])  # type: ignore[attr-defined]
        labels = {a.pk: getattr(a, "label", "") for a in attendees}
        field.label_from_instance = lambda a: labels.get(a.pk, "")  # type: ignore[attr-defined]


class EscalateForm(forms.Form):
    basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    escalated_to = forms.CharField(
        label=_("Passed to"),
        max_length=200,
        help_text=_("The agency or team, for example “Northshire children's social care”."),
    )


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs=TEXTAREA))
    accessibility = forms.CharField(
        label=_("Accessibility"),
        required=False,
        help_text=_("Step-free access, hearing loop, accessible toilet, parking…"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    has_separate_waiting_areas = forms.BooleanField(
        label=_("Separate waiting areas available"), required=False
    )
    notes = forms.CharField(
        label=_("Notes for staff"),
        required=False,
        help_text=_("Never sent to participants."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
