"""Forms of the consent pages. They check shape only; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Participant
from amends.consent.models import ConsentKind, ConsentMethod, ConsentScope
from amends.consent.rules import MAX_DOCUMENT_BYTES
from amends.consent.selectors import channel_label
from amends.people.models import ContactChannel
from amends.programmes.models import InformationSheet, ProcessType


class _ChannelChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return channel_label(obj)


class _SheetChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, current: InformationSheet | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def label_from_instance(self, obj: Any) -> str:
        label = _("“%(title)s”, version %(version)d, language %(language)s") % {
            "title": obj.title,
            "version": obj.version,
            "language": obj.language,
        }
        if self.current is not None and obj.pk == self.current.pk:
            return f"{label} — {_('current')}"
        return str(label)


class ConsentGiveForm(forms.Form):
    # Consent to an agreement item is recorded on the agreement page, which names the item.
    scope = forms.ChoiceField(
        label=_("What is the consent for?"),
        choices=[c for c in ConsentScope.choices if c[0] != ConsentScope.AGREEMENT],
    )
    process_type = forms.ChoiceField(
        label=_("Process"),
        required=False,
        help_text=_("For taking part: the process the person agrees to take part in."),
    )
    partner = forms.CharField(
        label=_("Partner"),
        max_length=200,
        required=False,
        help_text=_("For sharing information: the organisation it may be shared with."),
    )
    channel = _ChannelChoice(
        label=_("Channel"),
        queryset=ContactChannel.objects.none(),
        required=False,
        help_text=_(
            "For contact: one of the person's own channels. Only channels marked safe are listed."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Whose consent is it?"),
        choices=ConsentKind.choices,
        help_text=_(
            "An adult gives their own consent. For someone under 18, record a parent's or "
            "guardian's consent and the young person's own assent, separately."
        ),
    )
    given_by = forms.ModelChoiceField(
        label=_("Parent or guardian who consented"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("Only for a parent's or guardian's consent."),
    )
    sheet = _SheetChoice(
        label=_("Information sheet the person was given"),
        queryset=InformationSheet.objects.none(),
        current=None,
        help_text=_("Consent counts only on the current sheet in the person's language."),
    )
    method = forms.ChoiceField(
        label=_("How was consent given?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("For a signed form: a PDF, JPEG or PNG file of at most %(megabytes)d MB.")
        % {"megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    signature_name = forms.CharField(
        label=_("Name typed by the person"),
        max_length=200,
        required=False,
        help_text=_("For signing on screen: the person types their own name here."),
    )
    witness = forms.CharField(
        label=_("Witness"),
        max_length=200,
        required=False,
        help_text=_(
            "For verbal consent: the name of the witness who heard it (not you, who records it)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        offered: list[str],
        channels: QuerySet[ContactChannel],
        guardians: list[tuple[Participant, str]],
        sheets: QuerySet[InformationSheet],
        current_sheet: InformationSheet | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ProcessType.choices)
        process_field: forms.ChoiceField = self.fields["process_type"]  # type: ignore[assignment]
        process_field.choices = [
            ("", "—"),
            *((value, labels[value]) for value in offered if value in labels),
        ]
        channel_field: _ChannelChoice = self.fields["channel"]  # type: ignore[assignment]
        channel_field.queryset = channels
        guardian_labels = {guardian.pk: label for guardian, label in guardians}
        guardian_field: forms.ModelChoiceField = self.fields["given_by"]  # type: ignore[type-arg, assignment]
        guardian_field.queryset = Participant.objects.filter(pk__in=guardian_labels)
        guardian_field.label_from_instance = lambda obj: guardian_labels.get(obj.pk, str(obj))  # type: ignore[method-assign]
        sheet_field: _SheetChoice = self.fields["sheet"]  # type: ignore[assignment]
        sheet_field.queryset = sheets
        sheet_field.current = current_sheet
        if current_sheet is not None and not self.is_bound:
            self.initial.setdefault("sheet", current_sheet.pk)


class ConsentWithdrawForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        help_text=_(
            "Anything the people working on the case should know; it is kept, encrypted, "
            "with the withdrawal. The person does not have to give a reason."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
