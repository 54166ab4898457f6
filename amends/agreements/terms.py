"""The terms of an agreement item, and what is wrong with them, in plain words (pure).

`ItemTerms.of` keeps only the fields the item's kind uses, so a form that sends every
field cannot leave an amount on an apology. Money and hours are `Decimal`; a float is a
programming error and raises TypeError before anything is checked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from amends.agreements.models import (
    ApologyForm,
    CatalogueItem,
    Currency,
    ItemKind,
)
from amends.cases.models import Participant

TERMS_MAX_LENGTH = 2000
TEXT_MAX_LENGTH = 200
MAX_AMOUNT = Decimal("99999999.99")
MAX_HOURS = Decimal("9999.99")
MAX_HOURS_PER_DAY = Decimal("24")
# An agreement runs for at most this long: beyond it, terms are out of proportion anyway.
MAX_DAYS_AHEAD = 2 * 366
# Kinds that are owed to someone: they must name the person harmed.
OWED_KINDS = frozenset({ItemKind.APOLOGY, ItemKind.RESTITUTION})


@dataclass(frozen=True)
class ItemTerms:
    kind: str
    terms: str
    due_on: datetime.date | None
    owed_to: Participant | None = None
    apology_form: str = ""
    amount: Decimal | None = None
    documented_loss: Decimal | None = None
    currency: str = ""
    schedule: str = ""
    hours_planned: Decimal | None = None
    placement: str = ""
    catalogue_item: CatalogueItem | None = None

    def __post_init__(self) -> None:
        for name in ("amount", "documented_loss", "hours_planned"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")

    def normalised(self) -> ItemTerms:
        """Only the fields this kind uses, text trimmed."""
        terms = replace(
            self,
            terms=self.terms.strip(),
            schedule=" ".join(self.schedule.split()),
            placement=" ".join(self.placement.split()),
        )
        blank: dict[str, object] = {}
        if self.kind != ItemKind.APOLOGY:
            blank["apology_form"] = ""
        if self.kind != ItemKind.RESTITUTION:
            blank.update(amount=None, documented_loss=None, currency="", schedule="")
        if self.kind != ItemKind.WORK:
            blank.update(hours_planned=None, placement="")
        if self.kind != ItemKind.OTHER:
            blank["catalogue_item"] = None
        return replace(terms, **blank)  # type: ignore[arg-type]


def decimal_problems(
    value: Decimal | None, *, label: str, maximum: Decimal, zero_allowed: bool = False
) -> list[str]:
    """Why a money or hours value cannot be used: missing, not a number, negative or zero,
    more than two decimal places, too large."""
    if value is None:
        return [_("Give the %(what)s.") % {"what": label}]
    if not value.is_finite():
        return [_("The %(what)s must be a number.") % {"what": label}]
    if value < 0 or (value == 0 and not zero_allowed):
        if zero_allowed:
            return [_("The %(what)s cannot be negative.") % {"what": label}]
        return [_("The %(what)s must be more than zero.") % {"what": label}]
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return [_("The %(what)s can have at most two decimal places.") % {"what": label}]
    if value > maximum:
        return [
            _("The %(what)s must be at most %(maximum)s.") % {"what": label, "maximum": maximum}
        ]
    return []


def terms_problems(terms: ItemTerms, *, made_on: datetime.date) -> list[str]:
    """Everything wrong with `terms` (normalised) for an agreement made on `made_on`."""
    if terms.kind not in ItemKind.values:
        return [_("Choose what kind of item it is.")]
    reasons = []
    if not terms.terms:
        reasons.append(_("Write the terms: what exactly is to be done."))
    elif len(terms.terms) > TERMS_MAX_LENGTH:
        reasons.append(_("The terms must be at most 2000 characters."))
    reasons.extend(_due_problems(terms.due_on, made_on))
    if terms.kind in OWED_KINDS and terms.owed_to is None:
        reasons.append(_("Choose the person harmed it is owed to."))
    if terms.kind == ItemKind.APOLOGY and terms.apology_form not in ApologyForm.values:
        reasons.append(_("Choose how the apology is given."))
    if terms.kind == ItemKind.RESTITUTION:
        reasons.extend(_restitution_problems(terms))
    if terms.kind == ItemKind.WORK:
        reasons.extend(
            decimal_problems(terms.hours_planned, label=_("hours planned"), maximum=MAX_HOURS)
        )
        if len(terms.placement) > TEXT_MAX_LENGTH:
            reasons.append(_("The placement must be at most 200 characters."))
    if terms.kind == ItemKind.OTHER and (
        terms.catalogue_item is None or not terms.catalogue_item.is_active
    ):
        reasons.append(_("Choose an item from the programme's list."))
    return reasons


def _due_problems(due_on: datetime.date | None, made_on: datetime.date) -> list[str]:
    if due_on is None:
        return [_("Give the date it is due by.")]
    if due_on < made_on:
        return [
            _("The due date cannot be before the agreement was made (%(date)s).")
            % {"date": made_on.isoformat()}
        ]
    if due_on > made_on + datetime.timedelta(days=MAX_DAYS_AHEAD):
        return [_("The due date must be within two years of the agreement.")]
    return []


def _restitution_problems(terms: ItemTerms) -> list[str]:
    reasons = [
        *decimal_problems(terms.amount, label=_("amount"), maximum=MAX_AMOUNT),
        *decimal_problems(
            terms.documented_loss,
            label=_("documented loss"),
            maximum=MAX_AMOUNT,
            zero_allowed=True,
        ),
    ]
    if terms.currency not in Currency.values:
        reasons.append(_("Choose the currency."))
    if len(terms.schedule) > TEXT_MAX_LENGTH:
        reasons.append(_("The payment schedule must be at most 200 characters."))
    return reasons
