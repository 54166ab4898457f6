"""Forms of the matching pages. They check shape only; matching and the assignment
service decide and explain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_LENGTH = 400


class MatchAssignForm(forms.Form):
    facilitator = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why this facilitator rather than the top suggestion?"),
        required=False,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with the assignment."),
    )


class PairAssignForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput)
    second = forms.IntegerField(widget=forms.HiddenInput)


def row_field(case_id: int) -> str:
    return f"case_{case_id}"


def planned_field(case_id: int) -> str:
    return f"planned_{case_id}"


class BatchForm(forms.Form):
    """One choice per case (the plan's facilitator preselected), and the note that
    explains any row the coordinator changed."""

    note = forms.CharField(
        label=_("Why you changed the plan"),
        required=False,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you choose someone other than the plan for any case."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        rows: Sequence[tuple[int, str, Iterable[tuple[int, str]]]],
        **kwargs: Any,
    ) -> None:
        """`rows`: (case id, case reference, [(facilitator id, label), ...])."""
        super().__init__(data, **kwargs)
        for case_id, reference, choices in rows:
            # Any number is accepted here: matching reviews every choice before it is
            # applied and says why one cannot be (not on the roster, not eligible, full).
            self.fields[row_field(case_id)] = forms.IntegerField(
                label=_("Facilitator for %(reference)s") % {"reference": reference},
                required=False,
                widget=forms.Select(
                    choices=[("", _("Nobody for now")), *choices],
                    attrs={"class": "form-select form-select-sm"},
                ),
            )
            self.fields[planned_field(case_id)] = forms.IntegerField(
                required=False, widget=forms.HiddenInput
            )

    def choices(self) -> dict[int, tuple[int | None, int | None]]:
        """case id → (chosen facilitator id, planned facilitator id)."""
        found = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("case_"):
                case_id = int(name.removeprefix("case_"))
                found[case_id] = (value, self.cleaned_data.get(planned_field(case_id)))
        return found
