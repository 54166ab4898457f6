from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.safety.models import SafetyMeasure


class SafetyPlanForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label=_("Measures"),
        choices=SafetyMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        help_text=_("Arrangements, the code word's location (never the word itself), contacts."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
