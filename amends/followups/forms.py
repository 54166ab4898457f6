"""Forms for recording a check-in, recording that follow-up is not possible, and answering
the survey (online, or entered from paper). The forms check shape; the services decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.followups import instruments
from amends.followups.models import (
    CALL_OUTCOMES,
    HIGHEST_WELLBEING,
    LOWEST_WELLBEING,
    CheckInStatus,
)
from amends.followups.services.check_ins import LONGEST_NOTES, LONGEST_REASON

ANSWER_PREFIX = "answer_"
_WELLBEING_LABELS = {
    1: _("1 – struggling"),
    2: _("2"),
    3: _("3 – getting by"),
    4: _("4"),
    5: _("5 – doing well"),
}


def posted(request: HttpRequest) -> QueryDict | None:
    """The data to bind a form to: bound on every POST, even an empty one, so that the
    form reports what is missing."""
    return request.POST if request.method == "POST" else None


class CheckInForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[(value, CheckInStatus(value).label) for value in CALL_OUTCOMES],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose how the check-in went.")},
    )
    occurred_on = forms.DateField(
        label=_("Date of the call"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Not in the future."),
    )
    wellbeing = forms.TypedChoiceField(
        label=_("How are they doing?"),
        choices=[
            ("", _("Not asked")),
            *[
                (value, _WELLBEING_LABELS[value])
                for value in range(LOWEST_WELLBEING, HIGHEST_WELLBEING + 1)
            ],
        ],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only after speaking with them: 1 is struggling, 5 is doing well."),
    )
    further_support_needed = forms.BooleanField(
        label=_("They need further support (a task to consider a support referral is made)"),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=LONGEST_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the people working on the case can read these notes."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class NotPossibleForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is follow-up not possible?"),
        max_length=LONGEST_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: moved away and left no contact details; asked not to be contacted "
            "again. Only the people working on the case can read this."
        ),
        error_messages={"required": _("Say why follow-up is not possible.")},
    )


class SurveyForm(forms.Form):
    """One field per question of a survey version: radio buttons for scales and choices,
    a text box for free text. Every question may be left out unless the survey says it
    is required."""

    def __init__(
        self, *args: Any, questions: Sequence[Mapping[str, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"{ANSWER_PREFIX}{question['key']}"] = _field_for(question)

    def answers(self) -> dict[str, Any]:
        """The answers by question key (only after is_valid()); blank ones included, as
        the service skips them."""
        return {
            name.removeprefix(ANSWER_PREFIX): value for name, value in self.cleaned_data.items()
        }


def _field_for(question: Mapping[str, Any]) -> forms.Field:
    label = instruments.display_text(str(question["text"]))
    required = bool(question.get("required", False))
    if question["kind"] == instruments.FREE_TEXT:
        return forms.CharField(
            label=label,
            required=required,
            max_length=instruments.LONGEST_ANSWER,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": _("Please answer this question.")},
        )
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=instruments.answer_options(question),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Please answer this question."),
            "invalid_choice": _("Choose one of the answers offered."),
        },
    )
