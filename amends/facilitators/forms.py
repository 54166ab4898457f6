"""Forms of the facilitator pages. They check shape only; the services decide and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.facilitators.compliance_queries import Status
from amends.facilitators.models import AccreditationLevel, ConflictKind, Weekday
from amends.people.models import Gender
from amends.programmes.models import Endorsement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def split_list(value: str) -> list[str]:
    """Entries separated by commas or new lines."""
    return [part.strip() for line in value.splitlines() for part in line.split(",")]


class ProfileForm(forms.Form):
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("Prefer not to say")), *Gender.choices],
        help_text=_("Some participants ask for a facilitator of a given gender."),
    )
    languages = forms.CharField(
        label=_("Languages you work in"),
        required=False,
        max_length=400,
        help_text=_("ISO 639 codes separated by commas, for example “en, pl, ar”."),
    )
    cultural_competencies = forms.CharField(
        label=_("Cultural and community competencies"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for example a community you belong to or know well."),
    )
    regions = forms.CharField(
        label=_("Regions you work in"),
        required=False,
        max_length=3000,
        help_text=_("Separated by commas, as the programme names them."),
    )
    capacity = forms.IntegerField(
        label=_("Most active cases at a time"), min_value=0, max_value=100, initial=6
    )

    def as_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "gender": data["gender"],
            "languages": split_list(data["languages"]),
            "cultural_competencies": split_list(data["cultural_competencies"]),
            "regions": split_list(data["regions"]),
            "capacity": data["capacity"],
        }


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    completed_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=2)
    counts_as_cpd = forms.BooleanField(label=_("Counts as CPD"), required=False, initial=True)
    approved_provider = forms.BooleanField(
        label=_("The provider is approved by the accrediting body"), required=False
    )


class AvailabilityForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts_at = forms.TimeField(label=_("From"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Until"), widget=TimeInput())


class AwayForm(forms.Form):
    starts_on = forms.DateField(label=_("First day away"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day away"), widget=DateInput())


class ConflictForm(forms.Form):
    """Place and organisation conflicts; a conflict with a person is declared from that
    person's page in a case."""

    kind = forms.ChoiceField(
        label=_("Conflict with"),
        choices=[
            (ConflictKind.PLACE, ConflictKind.PLACE.label),
            (ConflictKind.ORGANISATION, ConflictKind.ORGANISATION.label),
        ],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_(
            "A region as the programme names it (cases there are not offered to you), or "
            "an organisation (cases it refers are not offered to you)."
        ),
    )
    description = forms.CharField(
        label=_("What the conflict is (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccreditationForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=AccreditationLevel.choices)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid until"), widget=DateInput())


class EndorsementForm(forms.Form):
    endorsement = forms.ChoiceField(label=_("Endorsement"), choices=Endorsement.choices)
    issuer = forms.CharField(label=_("Issued by (optional)"), max_length=200, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if it lasts as long as the accreditation."),
    )


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class _WithSomeone(forms.Form):
    person_field = ""

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.person_field]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = people


class SupervisionForm(_WithSomeone):
    person_field = "supervisor"
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    supervisor = PersonChoiceField(
        label=_("Supervisor"), queryset=User.objects.none(), required=False
    )
    supervisor_name = forms.CharField(
        label=_("Or the supervisor's name, if they have no account here"),
        max_length=200,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObservedPracticeForm(_WithSomeone):
    person_field = "observer"
    observed_on = forms.DateField(label=_("Date"), widget=DateInput())
    observer = PersonChoiceField(label=_("Observer"), queryset=User.objects.none(), required=False)
    observer_name = forms.CharField(
        label=_("Or the observer's name, if they have no account here"),
        max_length=200,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RosterFilterForm(forms.Form):
    """Narrow a roster to the facilitators with one status (the summary's counts)."""

    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (Status.ALL, _("Every facilitator")),
            (Status.NOT_COMPLIANT, _("Not fully compliant")),
            (Status.NOT_ACCREDITED, _("Without a valid accreditation")),
            (Status.LAPSING, _("Accreditation runs out within 30 days")),
            (Status.SUPERVISION, _("Supervision overdue")),
            (Status.CPD, _("CPD hours short this year")),
            (Status.NOT_OBSERVED, _("Not observed this year")),
            (Status.NOT_CURRENT, _("No process in 12 months")),
        ],
    )

    def chosen_status(self) -> str:
        """The status asked for; everyone when none was or the value is not one."""
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data["status"])
        return Status.ALL
