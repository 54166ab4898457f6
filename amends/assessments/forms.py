"""Forms for recording an assessment, changing its risk level and signing a case off.

The assessment form is built from the template's questions: one group of four radio
buttons per question. The forms only check shape; the services decide (and refuse with
reasons in plain words).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.assessments.models import RiskLevel
from amends.assessments.scoring import ANSWER_LABELS, question_guidance, question_title

ANSWER_PREFIX = "answer_"
NOTES_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class QuestionField:
    """One question of the form, for the template: its title, guidance and radios."""

    key: str
    title: str
    guidance: str
    field: forms.BoundField


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Date of the assessment"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day you assessed the person; not in the future."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only people working on the case can read these notes."),
    )

    def __init__(
        self, *args: Any, questions: Sequence[Mapping[str, Any]] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"{ANSWER_PREFIX}{question['key']}"] = forms.TypedChoiceField(
                label=question_title(question),
                choices=[(value, label) for value, label in ANSWER_LABELS.items()],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def question_fields(self) -> Iterator[QuestionField]:
        for question in self.questions:
            key = str(question["key"])
            yield QuestionField(
                key=key,
                title=question_title(question),
                guidance=question_guidance(question),
                field=self[f"{ANSWER_PREFIX}{key}"],
            )

    def answers(self) -> dict[str, int]:
        """The answers given, by question key (only after is_valid())."""
        return {
            name.removeprefix(ANSWER_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(ANSWER_PREFIX)
        }

    def assessed_on_value(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["assessed_on"]
        return value


class OverrideForm(forms.Form):
    risk_level = forms.ChoiceField(
        label=_("Risk level"),
        choices=RiskLevel.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reason = forms.CharField(
        label=_("Why the risk level should be different"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say what the questions did not capture. Only people working on the case can read this."
        ),
        error_messages={"required": _("Say why the risk level should be different.")},
    )


class SignOffForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the team should know about your decision."),
    )
