"""Forms of the exchange pages. They check shape only; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.cases.forms import DateInput
from amends.cases.models import Participant
from amends.exchanges.models import (
    DeliveryMethod,
    FlagKind,
    ItemKind,
    ReviewDecision,
    RoundMethod,
    WhereaboutsFlag,
)
from amends.exchanges.rules import MAX_FILE_BYTES, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from amends.exchanges.selectors import participant_choice_label

_FILE_HELP = _(
    "Optional: a scan or photo of a handwritten letter, as PDF, JPEG or PNG, at most "
    "%(megabytes)d MB."
) % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}


class _ParticipantChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return participant_choice_label(obj)


class _UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


def _attachment_field() -> forms.FileField:
    return forms.FileField(
        label=_("Attached file"),
        required=False,
        help_text=_FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


def _text_field() -> forms.CharField:
    return forms.CharField(
        label=_("Text"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        strip=False,
        help_text=_("Exactly as the author wrote or said it. It is kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class ItemForm(forms.Form):
    author = _ParticipantChoice(label=_("Written by"), queryset=Participant.objects.none())
    recipient = _ParticipantChoice(label=_("Written for"), queryset=Participant.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    text = _text_field()
    attachment = _attachment_field()

    def __init__(self, *args: Any, writers: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("author", "recipient"):
            field: _ParticipantChoice = self.fields[name]  # type: ignore[assignment]
            field.queryset = writers


class ItemEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    text = _text_field()
    attachment = _attachment_field()
    remove_attachment = forms.BooleanField(label=_("Remove the attached file"), required=False)


class _FlagChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        if obj.kind == FlagKind.ATTACHMENT:
            return str(
                _(
                    "I looked at the attached file: it says nothing about where the author "
                    "lives or how to reach them."
                )
            )
        return str(
            _("%(kind)s “%(found)s”: I checked it; it does not tell where the author is.")
            % {"kind": obj.get_kind_display(), "found": obj.matched}
        )


class ReviewForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Your decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    confirmed_flags = _FlagChoice(
        label=_("Details found for you to check"),
        queryset=WhereaboutsFlag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_(
            "Needed when you return it: what must change. Seen only by the people working "
            "on the case."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    redacted_text = forms.CharField(
        label=_("Version to pass on"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "Only when you take details out: the whole text as the recipient will get it. "
            "The original is kept, and an attached file is not passed on."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args: Any, confirmable: QuerySet[WhereaboutsFlag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: _FlagChoice = self.fields["confirmed_flags"]  # type: ignore[assignment]
        field.queryset = confirmable


class RelayForm(forms.Form):
    method = forms.ChoiceField(label=_("How was it passed on?"), choices=DeliveryMethod.choices)
    relayed_on = forms.DateField(label=_("On"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("relayed_on", timezone.localdate())


class ReadForm(forms.Form):
    read_on = forms.DateField(label=_("Read on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("read_on", timezone.localdate())


class RoundForm(forms.Form):
    number = forms.IntegerField(label=_("Round"), min_value=1)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    facilitator = _UserChoice(label=_("Facilitator"), queryset=User.objects.none())
    party = _ParticipantChoice(
        label=_("Who was visited or called"), queryset=Participant.objects.none()
    )
    method = forms.ChoiceField(label=_("How"), choices=RoundMethod.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What was carried between the parties. It is kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        facilitators: QuerySet[User],
        parties: QuerySet[Participant],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        facilitator_field: _UserChoice = self.fields["facilitator"]  # type: ignore[assignment]
        facilitator_field.queryset = facilitators
        party_field: _ParticipantChoice = self.fields["party"]  # type: ignore[assignment]
        party_field.queryset = parties
        self.initial.setdefault("held_on", timezone.localdate())
