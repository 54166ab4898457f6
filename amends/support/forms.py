"""Forms of the support pages. They check shape only; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.forms import DateInput
from amends.cases.models import Participant
from amends.cases.selectors import participant_label
from amends.support.models import Partner, ReferralStatus, ServiceType
from amends.support.services import PartnerDetails


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=200)
    service_types = forms.MultipleChoiceField(
        label=_("Services"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, for example “en, cy, pl”."),
    )
    regions = forms.CharField(
        label=_("Regions"), required=False, help_text=_("Separated by commas.")
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    eligibility_notes = forms.CharField(
        label=_("Who they help"),
        required=False,
        help_text=_("Eligibility: ages, areas, circumstances, how long they usually take."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(label=_("Takes referrals now"), required=False, initial=True)

    @classmethod
    def initial_for(cls, partner: Partner) -> dict[str, Any]:
        return {
            "name": partner.name,
            "service_types": partner.service_types,
            "languages": ", ".join(partner.languages),
            "regions": ", ".join(partner.regions),
            "phone": partner.phone,
            "email": partner.email,
            "website": partner.website,
            "address": partner.address,
            "eligibility_notes": partner.eligibility_notes,
            "is_active": partner.is_active,
        }

    def details(self) -> PartnerDetails:
        data = self.cleaned_data
        return PartnerDetails(
            name=data["name"],
            service_types=list(data["service_types"]),
            languages=_split(data["languages"]),
            regions=_split(data["regions"]),
            phone=data["phone"],
            email=data["email"],
            website=data["website"],
            address=data["address"],
            eligibility_notes=data["eligibility_notes"],
            is_active=data["is_active"],
        )


class _ParticipantChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return participant_label(obj, obj.case.programme)


class _PartnerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        services = ", ".join(
            str(ServiceType(value).label)
            for value in obj.service_types
            if value in ServiceType.values
        )
        return f"{obj.name} ({services})"


class ReferralForm(forms.Form):
    participant = _ParticipantChoice(
        label=_("Who is referred"), queryset=Participant.objects.none()
    )
    partner = _PartnerChoice(label=_("Partner"), queryset=Partner.objects.none())
    service_type = forms.ChoiceField(label=_("For"), choices=ServiceType.choices)
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    note = forms.CharField(
        label=_("What was asked for and shared"),
        required=False,
        max_length=4000,
        help_text=_("Only what the person agreed to share. It is kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        participants: QuerySet[Participant],
        partners: QuerySet[Partner],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        participant_field: _ParticipantChoice = self.fields["participant"]  # type: ignore[assignment]
        participant_field.queryset = participants
        partner_field: _PartnerChoice = self.fields["partner"]  # type: ignore[assignment]
        partner_field.queryset = partners
        self.initial.setdefault("sent_on", timezone.localdate())


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (value, label)
            for value, label in ReferralStatus.choices
            if value != ReferralStatus.SENT
        ],
        widget=forms.RadioSelect,
    )
    happened_on = forms.DateField(label=_("On"), widget=DateInput())
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=4000,
        help_text=_("For example why the partner declined. It is kept encrypted."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())
