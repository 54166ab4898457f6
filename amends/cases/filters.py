"""The case list's search box and filters: a plain GET form, checked before anything is
queried. Only the user's own programmes, coordinators and facilitators are offered, and
nothing else is accepted."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.cases.listing import (
    DEFAULT_PAGE_SIZE,
    NOBODY,
    PAGE_SIZES,
    STAGE_ANY,
    STAGE_OPEN,
    CaseSort,
    PausedFilter,
    count_members_for_user,
    list_members_for_user,
    list_programmes_for_user,
)
from amends.cases.stages import CaseStage
from amends.core.forms import MEMBER_LIST_LIMIT
from amends.programmes.models import Programme

SEARCH_MAX_LENGTH = 200
_YES, _NO = "yes", "no"


def _person_label(user: User) -> str:
    return str(user.full_name or user.email)


class CaseListFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        help_text=_("A case reference, or a person's full name, phone number or e-mail address."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("All your programmes"),
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[
            (STAGE_OPEN, _("Open cases (not closed)")),
            (STAGE_ANY, _("Any stage, closed cases too")),
            *CaseStage.choices,
        ],
    )
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)
    facilitator = forms.ChoiceField(label=_("Facilitator"), required=False)
    sensitive = forms.ChoiceField(
        label=_("Sensitive"),
        required=False,
        choices=[
            ("", _("Sensitive or not")),
            (_YES, _("Only sensitive cases")),
            (_NO, _("Only cases that are not sensitive")),
        ],
    )
    paused = forms.ChoiceField(label=_("Paused"), required=False, choices=PausedFilter.choices)
    overdue = forms.BooleanField(label=_("Only cases whose next action is overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=CaseSort.choices)
    per_page = forms.TypedChoiceField(
        label=_("Cases per page"),
        required=False,
        choices=[(size, str(size)) for size in PAGE_SIZES],
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the user's programmes and colleagues are offered, and so accepted.
        programme_field = cast("forms.ModelChoiceField[Programme]", self.fields["programme"])
        programme_field.queryset = list_programmes_for_user(user)
        self._members: dict[str, dict[str, User]] = {}
        self._too_many_to_list: dict[str, bool] = {}
        for name, role, nobody in (
            ("coordinator", Role.COORDINATOR, _("No coordinator yet")),
            ("facilitator", Role.FACILITATOR, _("No facilitator yet")),
        ):
            members = {str(member.pk): member for member in self._offered(user, role, name)}
            self._members[name] = members
            field = cast("forms.ChoiceField", self.fields[name])
            if self._too_many_to_list[name]:
                field.help_text = _(
                    "Too many people to list: you, and whoever a link chose. The programme "
                    "dashboard's caseloads link to each person's cases."
                )
            field.choices = [
                ("", _("Anyone")),
                (NOBODY, nobody),
                *((pk, _person_label(member)) for pk, member in members.items()),
            ]

    def _offered(self, user: Any, role: Role, name: str) -> list[User]:
        """The members the field offers: all of them up to MEMBER_LIST_LIMIT; beyond it
        (a list growing with the programme) only the user and whoever the query chose."""
        candidates = list_members_for_user(user, role)
        how_many = count_members_for_user(user, role, cap=MEMBER_LIST_LIMIT)
        self._too_many_to_list[name] = how_many > MEMBER_LIST_LIMIT
        if not self._too_many_to_list[name]:
            return list(candidates)
        wanted = {str(user.pk), str(self.data.get(name, "") if self.is_bound else "")}
        return list(candidates.filter(pk__in=[int(pk) for pk in wanted if pk.isdigit()]))

    def _clean_member(self, name: str) -> User | str | None:
        value: str = self.cleaned_data.get(name) or ""
        if value in ("", NOBODY):
            return value or None
        return self._members[name][value]

    def clean_coordinator(self) -> User | str | None:
        return self._clean_member("coordinator")

    def clean_facilitator(self) -> User | str | None:
        return self._clean_member("facilitator")

    def clean_sensitive(self) -> bool | None:
        value = self.cleaned_data.get("sensitive")
        return {_YES: True, _NO: False}.get(value or "")

    def clean_sort(self) -> str:
        return str(self.cleaned_data.get("sort") or CaseSort.DUE)

    def selector_filters(self) -> dict[str, Any]:
        """The cleaned filters as keyword arguments for `case_list_for_user`."""
        filters = {
            "search": self.cleaned_data.get("q") or "",
            "stage": self.cleaned_data.get("stage") or STAGE_OPEN,
            "paused": self.cleaned_data.get("paused") or PausedFilter.ANY,
            "sort": self.cleaned_data["sort"],
            "overdue": bool(self.cleaned_data.get("overdue")),
        }
        for name in ("programme", "coordinator", "facilitator", "sensitive"):
            if self.cleaned_data.get(name) is not None:
                filters[name] = self.cleaned_data[name]
        return filters

    def page_size(self) -> int:
        if self.is_bound and self.is_valid():
            return int(self.cleaned_data.get("per_page") or DEFAULT_PAGE_SIZE)
        return DEFAULT_PAGE_SIZE

    def more_filters_chosen(self) -> bool:
        """Whether any filter besides the search box was chosen (the filters then show open
        on a phone)."""
        return self.is_bound and any(
            self.data.get(name) for name in self.fields if name not in ("q", "sort", "per_page")
        )
