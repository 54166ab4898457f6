"""Shared form helpers for views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import Form
from django.utils.translation import gettext_lazy as _

from amends.core.errors import ApplicationError


def form_refusal(message: str, form: Form) -> ApplicationError:
    """A form's errors as a refusal, each reason led by its field's label, so they show in
    the same place and the same words as a service's refusal."""
    reasons: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None else None
        reasons.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return ApplicationError(message, reasons=reasons)


# A programme's members are offered as a list up to this many; beyond it a list would
# grow with the programme (thousands of options on every page), so the form asks for
# the person's e-mail address instead.
MEMBER_LIST_LIMIT = 100


class MemberByEmailField(forms.ModelChoiceField[Any]):
    """Chooses a member of `queryset` by their e-mail address (any letter case). A
    number is taken as the member's id, as buttons acting on a listed person send it."""

    widget = forms.EmailInput

    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Their e-mail address, as they sign in with it."))
        super().__init__(queryset, to_field_name="email", **kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        lookup = {"pk": int(text)} if text.isdigit() else {"email__iexact": text}
        found = self.queryset.filter(**lookup).first()  # type: ignore[union-attr]
        if found is None:
            raise forms.ValidationError(
                _("Nobody with that e-mail address can be chosen here."), code="invalid_choice"
            )
        return found

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "_meta"):
            return value.email
        return super().prepare_value(value)


def offer_members(form: forms.Form, name: str, members: QuerySet[Any], *, listable: bool) -> None:
    """Offer `members` in `form`'s field `name` (a ModelChoiceField): as a list when
    `listable` (the caller counted at most MEMBER_LIST_LIMIT people, on whatever index
    suits it), else as an e-mail address."""
    field = form.fields[name]
    if listable:
        field.queryset = members  # type: ignore[attr-defined]
        return
    form.fields[name] = MemberByEmailField(members, label=field.label, required=field.required)
