"""The audit viewer's filters: a plain GET form, checked before anything is queried."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amends.accounts.roles import AUDIT_READER_ROLES
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.actions import Action
from amends.programmes.models import Programme


def _programmes_readable_by(user: Any) -> QuerySet[Programme]:
    """The programmes whose audit events `user` may read, as filter choices."""
    if getattr(user, "is_superuser", False):
        return Programme.objects.order_by("name")
    ids = programme_ids_with_role(user, AUDIT_READER_ROLES)
    return Programme.objects.filter(pk__in=ids).order_by("name")


class AuditEventFilterForm(forms.Form):
    actor = forms.EmailField(
        label=_("Done by (e-mail address)"),
        required=False,
        max_length=254,
    )
    action = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[("", _("Anything")), *Action.choices],
    )
    target_type = forms.CharField(
        label=_("Record type"),
        required=False,
        max_length=100,
        help_text=_("For example people.person"),
    )
    target_id = forms.CharField(
        label=_("Record id"),
        required=False,
        max_length=64,
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("All you may see"),
    )
    date_from = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To (date, inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only programmes whose log the user may read are offered (and accepted).
        programme_field = cast("forms.ModelChoiceField[Programme]", self.fields["programme"])
        programme_field.queryset = _programmes_readable_by(user)

    def clean_actor(self) -> str:
        # Kept as an address, not looked up here: saying "nobody has this address" would
        # let any audit reader test whether someone has an account on the platform.
        email: str = self.cleaned_data.get("actor") or ""
        return email.strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", _("The end date is before the start date: choose a later end date.")
            )
        return cleaned

    def selector_filters(self) -> dict[str, Any]:
        """The cleaned filters as keyword arguments for audit_event_list_for_user."""
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    def audit_data(self) -> dict[str, Any]:
        """The filters as recorded in the audit log's own "audit viewed" event."""
        recorded = self.selector_filters()
        if "programme" in recorded:
            recorded["programme"] = recorded["programme"].pk
        return recorded
