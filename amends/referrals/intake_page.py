"""The intake page's forms: the referral, its offences and its people as one unit, with
the plain "add" and "remove" buttons and the duplicates step.

Interface code (it only reads, through selectors); `views.referral_new` drives it.
Rows are numbered as they are shown; after "remove", at the duplicates step and after a
refusal the page is drawn again from the filled-in rows only, so "Person 2" in a
service's reasons is the second person on the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from amends.people.models import Person
from amends.people.selectors import PossibleDuplicate, possible_duplicates
from amends.programmes.models import Programme
from amends.referrals.forms import (
    CHANNEL_FIELDS,
    MAX_ROWS,
    PersonForm,
    ReferralForm,
    form_values,
    offences_formset,
    people_formset,
)
from amends.referrals.services import ChannelInput, OffenceInput, PersonInput

NEW_PERSON = "new"
_REFERRAL_FIELDS = (
    "source_type",
    "agency",
    "referrer_name",
    "referrer_contact",
    "initial_account",
    "urgency",
    "crime_reported_on",
    "enhanced_rights",
    "evidential_basis_confirmed",
)


@dataclass
class IntakeForms:
    programme: Programme
    is_staff: bool
    referral: ReferralForm
    offences: forms.BaseFormSet  # type: ignore[type-arg]
    people: forms.BaseFormSet  # type: ignore[type-arg]

    @classmethod
    def blank(cls, programme: Programme, is_staff: bool, initial: dict[str, Any]) -> IntakeForms:
        return cls.from_rows(
            programme,
            is_staff,
            initial,
            offence_rows=[{}],
            people_rows=[{"role": "harmed"}, {"role": "responsible"}],
        )

    @classmethod
    def bound(cls, data: Mapping[str, Any], programme: Programme, is_staff: bool) -> IntakeForms:
        return cls(
            programme=programme,
            is_staff=is_staff,
            referral=ReferralForm(data, is_staff=is_staff),
            offences=offences_formset(programme=programme, data=data),
            people=people_formset(data=data),
        )

    @classmethod
    def from_rows(
        cls,
        programme: Programme,
        is_staff: bool,
        referral_values: dict[str, Any],
        *,
        offence_rows: list[dict[str, Any]],
        people_rows: list[dict[str, Any]],
    ) -> IntakeForms:
        return cls(
            programme=programme,
            is_staff=is_staff,
            referral=ReferralForm(initial=referral_values, is_staff=is_staff),
            offences=offences_formset(programme=programme, rows=offence_rows),
            people=people_formset(rows=people_rows),
        )

    # --- "add" and "remove" ---------------------------------------------------------------
    def rearranged(self, data: Mapping[str, Any]) -> IntakeForms | None:
        """The page drawn again with a row added or removed, or None for a real submit."""
        offence_rows = [form_values(form) for form in self.offences]
        people_rows = [form_values(form) for form in self.people]
        removed_offence = _index(data.get("remove_offence"), len(offence_rows))
        removed_person = _index(data.get("remove_person"), len(people_rows))
        # At MAX_ROWS an "add" draws the page again unchanged.
        if "add_offence" in data:
            offence_rows += [{}] if len(offence_rows) < MAX_ROWS else []
        elif "add_person" in data:
            people_rows += [{}] if len(people_rows) < MAX_ROWS else []
        elif removed_offence is not None:
            del offence_rows[removed_offence]
        elif removed_person is not None:
            kept = [i for i in range(len(people_rows)) if i != removed_person]
            people_rows = _renumbered(people_rows, kept)
        else:
            return None
        return self._redrawn(offence_rows or [{}], people_rows or [{}])

    def compacted(self) -> IntakeForms:
        """The page again from the filled-in rows only, keeping the duplicates found."""
        filled_people = [i for i, form in enumerate(self.people) if form.has_changed()]
        people_rows = _renumbered([form_values(form) for form in self.people], filled_people)
        offence_rows = [form_values(form) for form in self.offences if form.has_changed()]
        again = self._redrawn(offence_rows or [{}], people_rows or [{}])
        for new_form, old_position in zip(again.people, filled_people, strict=False):
            new_form.duplicates = self.people.forms[old_position].duplicates
        return again

    def _redrawn(
        self, offence_rows: list[dict[str, Any]], people_rows: list[dict[str, Any]]
    ) -> IntakeForms:
        return IntakeForms.from_rows(
            self.programme,
            self.is_staff,
            form_values(self.referral),
            offence_rows=offence_rows,
            people_rows=people_rows,
        )

    # --- a real submit -----------------------------------------------------------------
    def is_valid(self) -> bool:
        results = [self.referral.is_valid(), self.offences.is_valid(), self.people.is_valid()]
        return all(results)

    def filled_people(self) -> list[PersonForm]:
        return [form for form in self.people if form.has_changed()]

    def referral_values(self) -> dict[str, Any]:
        return {name: self.referral.cleaned_data[name] for name in _REFERRAL_FIELDS}

    def offence_inputs(self) -> list[OffenceInput]:
        return [
            OffenceInput(
                category=form.cleaned_data["category"],
                occurred_on=form.cleaned_data["occurred_on"],
                police_reference=form.cleaned_data["police_reference"],
                justice_stage=form.cleaned_data["justice_stage"],
            )
            for form in self.offences
            if form.has_changed()
        ]

    def person_inputs(self) -> list[PersonInput]:
        filled = self.filled_people()
        # Guardians name a row on the page; the service numbers only the filled-in rows.
        positions = {form.position: number for number, form in enumerate(filled)}
        inputs = []
        for form in filled:
            data = form.cleaned_data
            ward = data["guardian_for"]
            inputs.append(
                PersonInput(
                    role=data["role"],
                    **{name: data[name] for name in PersonForm.DETAIL_FIELDS},
                    channels=_channels(data),
                    existing_person=self._linked(form),
                    guardian_for=None if ward is None else positions.get(ward, -1),
                )
            )
        return inputs

    def _linked(self, form: PersonForm) -> Person | None:
        # Only staff link, and only to a person the duplicates step offered just now.
        choice = form.cleaned_data.get("duplicate_choice", "")
        if not self.is_staff or not choice.isdigit():
            return None
        for match in form.duplicates:
            if match.person.pk == int(choice):
                return match.person  # type: ignore[no-any-return]
        return None


def duplicates_step(intake: IntakeForms) -> IntakeForms | None:
    """Find possible duplicates of each person (staff only). Returns the page to show
    when someone must choose (a new match, no choice yet, or a choice no longer offered);
    None when every choice is made, with the matches kept on the forms for linking."""
    must_choose = False
    for form in intake.filled_people():
        data = form.cleaned_data
        form.duplicates = possible_duplicates(
            intake.programme,
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            phones=[data["phone"]] if data["phone"] else [],
            emails=[data["email"]] if data["email"] else [],
        )
        if _needs_choice(form.duplicates, data["duplicate_choice"], data["duplicates_shown"]):
            must_choose = True
    if not must_choose:
        return None
    again = intake.compacted()
    for form in again.people:
        offered = {str(match.person.pk) for match in form.duplicates}
        form.initial["duplicates_shown"] = ",".join(sorted(offered))
        if form.initial.get("duplicate_choice") not in offered | {NEW_PERSON}:
            form.initial["duplicate_choice"] = ""
    return again


def _needs_choice(matches: list[PossibleDuplicate], choice: str, shown: str) -> bool:
    if not matches:
        return False
    offered = {str(match.person.pk) for match in matches}
    if not offered <= set(filter(None, shown.split(","))):
        return True
    return choice not in offered | {NEW_PERSON}


def _channels(data: Mapping[str, Any]) -> list[ChannelInput]:
    return [
        ChannelInput(
            kind=kind,
            value=data[prefix],
            is_safe=data[f"{prefix}_safe"],
            safe_times=data[f"{prefix}_safe_times"],
        )
        for prefix, kind in CHANNEL_FIELDS
        if data[prefix].strip()
    ]


def _index(value: Any, length: int) -> int | None:
    if isinstance(value, str) and value.isdigit() and int(value) < length:
        return int(value)
    return None


def _renumbered(rows: list[dict[str, Any]], kept: list[int]) -> list[dict[str, Any]]:
    """Keep the rows at `kept`, pointing each guardian at their ward's new number."""
    new_number = {old: new for new, old in enumerate(kept)}
    result = []
    for old in kept:
        row = dict(rows[old])
        ward = str(row.get("guardian_for") or "")
        if ward:
            moved = new_number.get(int(ward)) if ward.isdigit() else None
            row["guardian_for"] = "" if moved is None else str(moved)
        result.append(row)
    return result
