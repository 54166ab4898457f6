"""Forms of the referral pages. They check shape only (dates are dates, choices are
choices); `services.referral_problems` decides what may be taken in and explains why."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.cases.models import ParticipantRole
from amends.people.models import ContactChannel
from amends.programmes.models import OffenceCategory, Programme
from amends.programmes.selectors import offence_categories
from amends.referrals.models import JusticeStage, SourceType, Urgency

YES_NO = [("yes", _("Yes, safe to use")), ("no", _("No, never use it"))]
# The three channels the intake form offers for each person, each with its own safety
# question: (prefix of the form fields, channel kind).
CHANNEL_FIELDS = (
    ("phone", ContactChannel.Kind.PHONE),
    ("email", ContactChannel.Kind.EMAIL),
    ("address", ContactChannel.Kind.POST),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SafeChoiceField(forms.TypedChoiceField):
    """Yes/no with no default: whether a channel is safe must be decided (G10)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            **kwargs,
        )


class ReferralForm(forms.Form):
    source_type = forms.ChoiceField(label=_("Who is referring?"))
    agency = forms.CharField(
        label=_("Referring agency"),
        max_length=200,
        required=False,
        help_text=_("For example the police force, court, school or victim service."),
    )
    referrer_name = forms.CharField(label=_("Referrer's name"), max_length=200, required=False)
    referrer_contact = forms.CharField(
        label=_("How to reach the referrer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Phone number or e-mail address for questions about this referral."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    crime_reported_on = forms.DateField(
        label=_("Date the crime was reported"),
        required=False,
        widget=DateInput(),
        help_text=_("Starts the clock for offering restorative justice information."),
    )
    enhanced_rights = forms.BooleanField(
        label=_("The person harmed is entitled to enhanced rights"),
        required=False,
        help_text=_("Victims of the most serious crime, vulnerable or intimidated victims."),
    )
    evidential_basis_confirmed = forms.BooleanField(
        label=_("I confirm there is an evidential basis for this referral"),
        required=False,
        help_text=_("A referral without an evidential basis cannot be accepted."),
    )
    initial_account = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("As you understand it. Only the programme's staff read this."),
    )

    def __init__(self, *args: Any, is_staff: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in SourceType.choices]
        if not is_staff:
            # A self-referral is entered by the programme's staff.
            choices = [(value, label) for value, label in choices if value != SourceType.SELF]
        self.fields["source_type"].choices = [("", _("Choose…")), *choices]  # type: ignore[attr-defined]


class OffenceForm(forms.Form):
    category: forms.ModelChoiceField[OffenceCategory] = forms.ModelChoiceField(
        label=_("Kind of offence"),
        queryset=OffenceCategory.objects.none(),
        empty_label=_("Choose…"),
    )
    occurred_on = forms.DateField(
        label=_("Date of the offence"), required=False, widget=DateInput()
    )
    police_reference = forms.CharField(label=_("Police reference"), max_length=60, required=False)
    justice_stage = forms.ChoiceField(
        label=_("Justice stage"), choices=JusticeStage.choices, initial=JusticeStage.NONE
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = offence_categories(programme)  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Choose…")), *ParticipantRole.choices]
    )
    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    pronouns = forms.CharField(label=_("Pronouns"), max_length=40, required=False)
    preferred_language = forms.CharField(
        label=_("Language"),
        max_length=8,
        required=False,
        help_text=_("A two-letter code such as “en”, “cy” or “pl”."),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    guardian_for = forms.TypedChoiceField(
        label=_("Parent or guardian for"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Only for a parent or guardian."),
    )
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    phone_safe = SafeChoiceField(label=_("Is it safe to phone or text this number?"))
    phone_safe_times = forms.CharField(
        label=_("Safe times to call"), max_length=200, required=False
    )
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)
    email_safe = SafeChoiceField(label=_("Is it safe to write to this e-mail address?"))
    email_safe_times = forms.CharField(label=_("Safe times"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Postal address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    address_safe = SafeChoiceField(label=_("Is it safe to send letters to this address?"))
    address_safe_times = forms.CharField(label=_("Safe times"), max_length=200, required=False)
    # The duplicates step (staff only): "new" or the id of the known person to link, and
    # the ids that were offered, so a new match is never passed over unseen.
    duplicate_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    duplicates_shown = forms.CharField(required=False, widget=forms.HiddenInput)

    IDENTIFYING_FIELDS = ("given_name", "family_name", "date_of_birth", "phone", "email", "address")
    DETAIL_FIELDS = (
        "given_name",
        "family_name",
        "date_of_birth",
        "pronouns",
        "preferred_language",
        "interpreter_needed",
        "accessibility_needs",
    )

    def __init__(self, *args: Any, people_count: int, position: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.position = position
        self.fields["guardian_for"].choices = [("", _("Nobody"))] + [  # type: ignore[attr-defined]
            (str(other), _("Person %(number)s") % {"number": other + 1})
            for other in range(people_count)
            if other != position
        ]
        # Filled in by the view's duplicates step.
        self.duplicates: list[Any] = []

    def has_changed(self) -> bool:
        """A person row counts as filled in once anything identifies someone; the role
        alone (pre-set on the first rows) does not."""
        return any(self[name].value() for name in self.IDENTIFYING_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for prefix, _kind in CHANNEL_FIELDS:
            if cleaned.get(prefix) and cleaned.get(f"{prefix}_safe") is None:
                self.add_error(
                    f"{prefix}_safe", _("Say whether it is safe to contact the person this way.")
                )
        if not cleaned.get("given_name") and not cleaned.get("duplicate_choice", "").isdigit():
            self.add_error("given_name", _("Give the person's given name."))
        return cleaned

    def channel_rows(self) -> list[tuple[Any, Any, Any]]:
        """(value, safe question, safe times) bound fields of each channel, for the template."""
        return [
            (self[prefix], self[f"{prefix}_safe"], self[f"{prefix}_safe_times"])
            for prefix, _kind in CHANNEL_FIELDS
        ]


class DecisionForm(forms.Form):
    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (ACCEPT, _("Accept the referral")),
            (DECLINE, _("Decline it and return it to the referrer")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason_for_referrer = forms.CharField(
        label=_("Reason for the referrer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed to decline. The referrer reads exactly this, and nothing else about the "
            "case: write it for them, without notes or other people's details."
        ),
    )
    note = forms.CharField(
        label=_("Note for the case (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Staff only; kept with the case's closure when you decline."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") == self.DECLINE
            and not cleaned.get("reason_for_referrer", "").strip()
        ):
            self.add_error("reason_for_referrer", _("Write the reason the referrer will read."))
        return cleaned


class _RowsFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Every row is an "extra" row, so an untouched one is simply left out; rows added
    with the "add" buttons come back as initial values, never as unsaved records."""

    def initial_form_count(self) -> int:
        return 0


class _PeopleFormSet(_RowsFormSet):
    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs.update(people_count=self.total_form_count(), position=index or 0)
        return kwargs


MAX_ROWS = 20
PEOPLE_PREFIX = "people"
OFFENCES_PREFIX = "offences"


def people_formset(
    *, data: Any = None, rows: list[dict[str, Any]] | None = None
) -> forms.BaseFormSet:  # type: ignore[type-arg]
    rows = rows if rows is not None else []
    formset_class = forms.formset_factory(
        PersonForm,
        formset=_PeopleFormSet,
        extra=len(rows),
        max_num=MAX_ROWS,
        validate_max=True,
    )
    return formset_class(data=data, initial=rows or None, prefix=PEOPLE_PREFIX)


def offences_formset(
    *, programme: Programme, data: Any = None, rows: list[dict[str, Any]] | None = None
) -> forms.BaseFormSet:  # type: ignore[type-arg]
    rows = rows if rows is not None else []
    formset_class = forms.formset_factory(
        OffenceForm,
        formset=_RowsFormSet,
        extra=len(rows),
        max_num=MAX_ROWS,
        validate_max=True,
    )
    return formset_class(
        data=data,
        initial=rows or None,
        prefix=OFFENCES_PREFIX,
        form_kwargs={"programme": programme},
    )


def form_values(form: forms.Form) -> dict[str, Any]:
    """A form's current values, to draw it again as a fresh form (after "add" or "remove",
    or at the duplicates step) without showing errors for what is not finished yet."""
    return {name: form[name].value() for name in form.fields}
