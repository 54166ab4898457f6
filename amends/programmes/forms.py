"""Forms for programme membership and configuration. They check the shape of the input;
the services decide what is allowed and explain refusals in plain words."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.roles import Role
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    OffenceCategory,
    ProcessType,
    ProgrammeSettings,
    Terminology,
)
from amends.programmes.selectors import (
    ELIGIBLE,
    EXCLUDED,
    SPECIALIST,
    eligibility_rule_by_code,
)


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("Used only when this person has no account yet."),
        required=False,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _radios() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "form-check-input"})


class _WholeNumbers(forms.CharField):
    """“48, 2” → [48, 2]; the service checks the range."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return [int(part) for part in (text or "").replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Write whole numbers separated by commas."), code="invalid"
            ) from None


class ProgrammeSettingsForm(forms.Form):
    process_types = forms.MultipleChoiceField(
        label=_("Process types offered"),
        choices=ProcessType.choices,
        widget=_checkboxes(),
        required=False,
        help_text=_("Only these can be chosen for a case. Offer at least one."),
    )
    terminology = forms.ChoiceField(
        label=_("How the two parties are called"), choices=Terminology.choices, widget=_radios()
    )
    assessment_validity_days = forms.IntegerField(
        label=_("An assessment stays valid for (days)"),
        help_text=_("After this, the assessment must be done again before the case moves on."),
    )
    consent_validity_days = forms.IntegerField(
        label=_("A consent stays valid for (days)"),
        help_text=_("After this, the person is asked for their consent again."),
    )
    fast_track_enabled = forms.BooleanField(
        label=_("Allow a fast track for low-level, low-risk cases"),
        required=False,
        help_text=_(
            "Only for categories that may be fast-tracked, and never for sensitive ones. "
            "Every safeguard is still checked."
        ),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        help_text=_(
            "People whose language has no information sheet are given the sheet in this "
            "language. Only languages with a published sheet can be chosen."
        ),
    )

    meeting_stagger_minutes = forms.IntegerField(
        label=_("Minutes between the parties' arrivals and departures"),
        help_text=_("Domestic-abuse cases: the parties never arrive or leave together."),
    )
    reminder_offsets_hours = _WholeNumbers(
        label=_("Meeting reminders, hours before"),
        help_text=_("Whole numbers separated by commas, for example “48, 2”."),
    )
    video_base_url = forms.CharField(
        label=_("Video service address"),
        required=False,
        help_text=_(
            "For example your own Jitsi server. Leave empty to use the installation's service."
        ),
    )
    max_work_hours = forms.IntegerField(
        label=_("Most hours of work an agreement may ask without a supervisor's confirmation")
    )
    agreement_grace_days = forms.IntegerField(
        label=_("Days after an agreement item is due before it counts as not kept")
    )
    follow_up_offsets_days = _WholeNumbers(
        label=_("Follow-up calls, days after the process"),
        help_text=_("Whole numbers separated by commas, for example “14, 91”."),
    )
    survey_link_valid_days = forms.IntegerField(label=_("A survey link stays valid for (days)"))
    support_reply_days = forms.IntegerField(
        label=_("Working days to wait for a support partner's answer before a reminder")
    )
    supervision_interval_days = forms.IntegerField(
        label=_("Facilitators have supervision at least every (days)")
    )
    cpd_hours_foundation = forms.IntegerField(label=_("Yearly CPD hours, foundation level"))
    cpd_hours_intermediate = forms.IntegerField(label=_("Yearly CPD hours, intermediate level"))
    cpd_hours_advanced = forms.IntegerField(label=_("Yearly CPD hours, advanced level"))

    def __init__(
        self, *args: Any, languages: Iterable[str], current: ProgrammeSettings, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                field: getattr(current, field)
                for field in self.base_fields
                if field not in ("reminder_offsets_hours", "follow_up_offsets_days")
            }
            | {
                "reminder_offsets_hours": ", ".join(map(str, current.reminder_offsets_hours)),
                "follow_up_offsets_days": ", ".join(map(str, current.follow_up_offsets_days)),
            },
        )
        super().__init__(*args, **kwargs)
        codes = sorted({*languages, current.default_language})
        self.fields["default_language"].choices = [(code, code) for code in codes]  # type: ignore[attr-defined]


class OffenceCategoryAddForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Lower-case letters, digits and hyphens, such as “criminal-damage”. It cannot be "
            "changed later: policies and referrals refer to it."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    is_sensitive = forms.BooleanField(
        label=_("Sensitive: cases need the specialist protocol"),
        required=False,
        help_text=_("A supervisor's sign-off and a safety plan before any process."),
    )
    allows_fast_track = forms.BooleanField(
        label=_("May be fast-tracked"),
        required=False,
        help_text=_("Never for a sensitive category."),
    )


class OffenceCategoryEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    is_sensitive = OffenceCategoryAddForm.base_fields["is_sensitive"]
    allows_fast_track = OffenceCategoryAddForm.base_fields["allows_fast_track"]
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A category no longer in use cannot be chosen for new referrals."),
    )

    @classmethod
    def for_category(cls, category: OffenceCategory, data: Any = None) -> OffenceCategoryEditForm:
        return cls(
            data,
            initial={
                "name": category.name,
                "is_sensitive": category.is_sensitive,
                "allows_fast_track": category.allows_fast_track,
                "is_active": category.is_active,
            },
        )


ELIGIBILITY_RULE_LABELS = {
    ELIGIBLE: _("Eligible"),
    SPECIALIST: _("Eligible under the specialist protocol"),
    EXCLUDED: _("Excluded"),
}


class EligibilityPolicyForm(forms.Form):
    """One choice per category in use; categories no longer in use keep the rule the
    current version gives them, so using one again needs no new decision."""

    minimum_age_harmed = forms.IntegerField(
        label=_("Minimum age of the person harmed"),
        required=False,
        help_text=_("Leave empty for no minimum. A guardian consents with a child."),
    )
    minimum_age_responsible = forms.IntegerField(
        label=_("Minimum age of the person responsible"), required=False
    )
    conditions = forms.CharField(
        label=_("Other conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Anything else screening must check, in plain words."),
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[OffenceCategory],
        current: EligibilityPolicy | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.categories = list(categories)
        rules = eligibility_rule_by_code(current)
        if current is not None:
            self.fields["minimum_age_harmed"].initial = current.minimum_age_harmed
            self.fields["minimum_age_responsible"].initial = current.minimum_age_responsible
            self.fields["conditions"].initial = current.conditions
        for category in self.categories:
            choices = [
                (rule, label)
                for rule, label in ELIGIBILITY_RULE_LABELS.items()
                if not (category.is_sensitive and rule == ELIGIBLE)
            ]
            self.fields[f"category_{category.code}"] = forms.ChoiceField(
                label=category.name,
                choices=choices,
                widget=_radios(),
                initial=rules.get(category.code),
                help_text=_("Sensitive: only under the specialist protocol, or excluded.")
                if category.is_sensitive
                else "",
                error_messages={
                    "required": _(
                        "Say whether this category is eligible, needs the specialist "
                        "protocol, or is excluded."
                    )
                },
            )

    def category_fields(self) -> list[forms.BoundField]:
        return [self[f"category_{category.code}"] for category in self.categories]

    def lists(self) -> dict[str, list[str]]:
        """The three lists for the service: the choices made, plus categories not in
        use with the rule the current version gives them."""
        shown = {category.code for category in self.categories}
        rules = {
            code: rule
            for code, rule in eligibility_rule_by_code(self.current).items()
            if code not in shown
        }
        for category in self.categories:
            rules[category.code] = self.cleaned_data[f"category_{category.code}"]
        return {
            name: [code for code, rule in rules.items() if rule == name]
            for name in (ELIGIBLE, SPECIALIST, EXCLUDED)
        }


class AssessmentTemplateForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace", "spellcheck": "false"}),
    )
    medium_threshold = forms.IntegerField(
        label=_("Medium risk from a score of"),
        help_text=_("The score is the sum of each answer (0 to 3) times its weight."),
    )
    high_threshold = forms.IntegerField(
        label=_("High risk from a score of"),
        help_text=_("Must be above the medium-risk score."),
    )

    @classmethod
    def for_template(cls, template: AssessmentTemplate | None) -> AssessmentTemplateForm:
        if template is None:
            return cls(initial={"questions": "[]"})
        return cls(
            initial={
                "questions": json.dumps(template.questions, indent=2, ensure_ascii=False),
                "medium_threshold": template.medium_threshold,
                "high_threshold": template.high_threshold,
            }
        )

    def clean_questions(self) -> Any:
        text = self.cleaned_data["questions"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _(
                    "This is not valid JSON: %(problem)s at line %(line)d, column %(column)d. "
                    "Check for a missing comma or quotation mark, or a comma after the last item."
                ),
                params={"problem": error.msg, "line": error.lineno, "column": error.colno},
                code="invalid_json",
            ) from None


class InformationSheetForm(forms.Form):
    language = forms.CharField(
        label=_("Language"),
        max_length=8,
        help_text=_("Two letters, such as “en” or “cy”; a region may follow, such as “pt-br”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Plain words. Say what restorative justice is, that taking part is voluntary and "
            "can stop at any time without penalty, the limits of confidentiality, the effect "
            "on any legal case, and that legal advice and an interpreter are available."
        ),
    )
