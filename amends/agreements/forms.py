"""Forms of the agreement pages. They check shape only (money and hours as Decimal); the
services decide and explain."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amends.agreements.models import (
    MONEY_DIGITS,
    ApologyForm,
    CatalogueItem,
    Currency,
    ItemKind,
    ItemStatus,
    LegalBasis,
    PaymentReceiver,
    ReferredTo,
)
from amends.agreements.terms import ItemTerms
from amends.cases.models import Participant
from amends.consent.models import ConsentKind, ConsentMethod
from amends.consent.rules import MAX_DOCUMENT_BYTES

_DATE = forms.DateInput(attrs={"type": "date"})
_MONEY = {"max_digits": MONEY_DIGITS, "decimal_places": 2, "min_value": Decimal("0.01")}


class _LabelledChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Participants shown with the labels the page uses, not their model's str()."""

    def __init__(self, *args: Any, labels: dict[int, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels or {}

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk, str(obj))


class AgreementCreateForm(forms.Form):
    responsible = _LabelledChoice(
        label=_("Person responsible"), queryset=Participant.objects.none()
    )
    made_on = forms.DateField(
        label=_("Made on"),
        widget=_DATE,
        help_text=_("The day it was agreed: not before the meeting or process it came from."),
    )

    def __init__(
        self, *args: Any, responsible: QuerySet[Participant], labels: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: _LabelledChoice = self.fields["responsible"]  # type: ignore[assignment]
        field.queryset, field.labels = responsible, labels


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of item"), choices=ItemKind.choices)
    terms = forms.CharField(
        label=_("Terms"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What exactly is to be done, in the words the parties agreed."),
    )
    due_on = forms.DateField(label=_("Due by"), widget=_DATE)
    owed_to = _LabelledChoice(
        label=_("Owed to"),
        queryset=Participant.objects.none(),
        required=False,
        help_text=_("The person harmed it is owed to or concerns; they consent to it too."),
    )
    apology_form = forms.ChoiceField(
        label=_("Form of the apology"), choices=[("", "—"), *ApologyForm.choices], required=False
    )
    amount = forms.DecimalField(label=_("Amount"), required=False, **_MONEY)  # type: ignore[arg-type]
    documented_loss = forms.DecimalField(
        label=_("Documented loss"),
        required=False,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Restitution above it is flagged for a supervisor's confirmation."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", "—"), *Currency.choices], required=False
    )
    schedule = forms.CharField(
        label=_("Payment schedule"),
        max_length=200,
        required=False,
        help_text=_("For example: 20 a month from the first of next month."),
    )
    hours_planned = forms.DecimalField(
        label=_("Hours planned"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.25"),
    )
    placement = forms.CharField(label=_("Placement"), max_length=200, required=False)
    catalogue_item = forms.ModelChoiceField(
        label=_("Item from the programme's list"),
        queryset=CatalogueItem.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        harmed: QuerySet[Participant],
        labels: dict[int, str],
        catalogue: QuerySet[CatalogueItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owed: _LabelledChoice = self.fields["owed_to"]  # type: ignore[assignment]
        owed.queryset, owed.labels = harmed, labels
        listed: forms.ModelChoiceField = self.fields["catalogue_item"]  # type: ignore[type-arg, assignment]
        listed.queryset = catalogue

    def item_terms(self) -> ItemTerms:
        data = self.cleaned_data
        return ItemTerms(
            kind=data["kind"],
            terms=data["terms"],
            due_on=data["due_on"],
            owed_to=data["owed_to"],
            apology_form=data["apology_form"],
            amount=data["amount"],
            documented_loss=data["documented_loss"],
            currency=data["currency"],
            schedule=data["schedule"],
            hours_planned=data["hours_planned"],
            placement=data["placement"],
            catalogue_item=data["catalogue_item"],
        )


class VaryForm(ItemForm):
    reason = forms.CharField(
        label=_("Why it is varied"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ItemConsentForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Whose consent is it?"), choices=ConsentKind.choices)
    given_by = forms.ModelChoiceField(
        label=_("Parent or guardian who consented"),
        queryset=Participant.objects.none(),
        required=False,
    )
    method = forms.ChoiceField(
        label=_("How was consent given?"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    signature_name = forms.CharField(
        label=_("Name typed by the person"), max_length=200, required=False
    )
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)
    document = forms.FileField(
        label=_("Signed form"),
        required=False,
        help_text=_("For a signed form: a PDF, JPEG or PNG file of at most %(megabytes)d MB.")
        % {"megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)},
    )

    def __init__(
        self, *args: Any, guardians: QuerySet[Participant], minor: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        kind: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
        if minor:
            # Someone under 18: a parent's or guardian's consent, and their own assent.
            kind.choices = [(ConsentKind.GUARDIAN, ConsentKind.GUARDIAN.label)] + [
                (ConsentKind.ASSENT, ConsentKind.ASSENT.label)
            ]
            field: forms.ModelChoiceField = self.fields["given_by"]  # type: ignore[type-arg, assignment]
            field.queryset = guardians
        else:
            kind.widget = forms.HiddenInput()
            self.initial.setdefault("kind", ConsentKind.CONSENT)
            del self.fields["given_by"]


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the terms are fair despite the flag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=_DATE)
    amount = forms.DecimalField(label=_("Amount"), **_MONEY)  # type: ignore[arg-type]
    received_by = forms.ChoiceField(label=_("Received by"), choices=PaymentReceiver.choices)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)


class HoursForm(forms.Form):
    worked_on = forms.DateField(label=_("Worked on"), widget=_DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=2, min_value=Decimal("0.25")
    )
    placement = forms.CharField(label=_("Placement"), max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (ItemStatus.IN_PROGRESS, ItemStatus.IN_PROGRESS.label),
            (ItemStatus.COMPLETED, ItemStatus.COMPLETED.label),
            (ItemStatus.WAIVED, ItemStatus.WAIVED.label),
        ],
    )
    on = forms.DateField(
        label=_("Done on"), widget=_DATE, required=False, help_text=_("For a completed item.")
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        help_text=_("Needed to waive an item."),
    )


class ReferBackForm(forms.Form):
    referred_to = forms.ChoiceField(
        label=_("Refer back to"), choices=ReferredTo.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class IssueForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=_("Legal basis for sharing it"), choices=LegalBasis.choices, widget=forms.RadioSelect
    )


class CatalogueItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class OfferedForm(forms.Form):
    offered = forms.BooleanField(required=False)
