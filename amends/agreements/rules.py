"""G11 Fair agreements as pure rules (UN Basic Principles 7 and 17; EU 2012/29 Art. 12(1)(d)).

- Every item is consented to by the parties it binds: the person responsible and the
  person harmed it is owed to or concerns. A minor's consent is a parent's or guardian's
  consent and the young person's own assent.
- An item out of proportion (restitution above the documented loss, work above the
  programme's limit of hours) is flagged and needs a supervisor's confirmation.
- An item is in force only when both hold. Nothing here ever proposes anything harsher
  when an item is not kept.

Consent to an item is consent to its terms: it lasts until the person withdraws it or the
item is varied (a new version needs consent again), so the programme's consent window,
which is about taking part in a process, does not apply to it.

The selectors build the facts; these functions only decide, and say why in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from amends.agreements.models import LIVE_STATUSES, ItemFlag, ItemKind
from amends.consent.models import ConsentKind

ADULT_KINDS = frozenset({ConsentKind.CONSENT})
MINOR_KINDS = frozenset({ConsentKind.GUARDIAN, ConsentKind.ASSENT})


@dataclass(frozen=True)
class PartyFacts:
    """One person an item binds, and which kinds of their consent to it stand now."""

    participant_id: int
    label: str
    is_minor: bool
    given_kinds: frozenset[str]


@dataclass(frozen=True)
class ItemFacts:
    pk: int
    label: str
    status: str
    flags: tuple[str, ...]
    confirmed: bool
    parties: tuple[PartyFacts, ...]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


def required_kinds(is_minor: bool) -> frozenset[str]:
    return MINOR_KINDS if is_minor else ADULT_KINDS


def missing_consent(party: PartyFacts) -> list[str]:
    """The kinds of consent this party still has to give (none when they are all there)."""
    return sorted(required_kinds(party.is_minor) - party.given_kinds)


def consent_reasons(item: ItemFacts) -> list[str]:
    reasons = []
    for party in item.parties:
        missing = missing_consent(party)
        if not missing:
            continue
        if party.is_minor:
            reasons.append(
                _(
                    "%(item)s: %(party)s is under 18 — record a parent's or guardian's consent "
                    "and the young person's own assent to it."
                )
                % {"item": item.label, "party": party.label}
            )
        else:
            reasons.append(
                _("%(item)s: %(party)s has not consented to it.")
                % {"item": item.label, "party": party.label}
            )
    return reasons


def confirmation_reasons(item: ItemFacts) -> list[str]:
    if not item.flags or item.confirmed:
        return []
    why = "; ".join(str(ItemFlag(flag).label).lower() for flag in item.flags)
    return [
        _("%(item)s: %(why)s — a supervisor who does not facilitate the case must confirm it.")
        % {"item": item.label, "why": why}
    ]


def is_in_force(item: ItemFacts) -> bool:
    return not consent_reasons(item) and not confirmation_reasons(item)


def g11_reasons(items: Iterable[ItemFacts]) -> list[str]:
    """Why the items still to be done are not all fair and agreed: missing consent of a
    party an item binds, and flagged items no supervisor has confirmed. Items already
    completed, waived, not completed or replaced by a new version are history."""
    reasons: list[str] = []
    for item in items:
        if item.is_live:
            reasons.extend(consent_reasons(item))
            reasons.extend(confirmation_reasons(item))
    return reasons


def proportion_flags(
    *,
    kind: str,
    amount: Decimal | None,
    documented_loss: Decimal | None,
    hours_planned: Decimal | None,
    max_work_hours: int,
) -> list[str]:
    """The ItemFlag values an item's terms raise (an empty list: in proportion)."""
    flags = []
    if (
        kind == ItemKind.RESTITUTION
        and amount is not None
        and documented_loss is not None
        and amount > documented_loss
    ):
        flags.append(ItemFlag.ABOVE_LOSS.value)
    if kind == ItemKind.WORK and hours_planned is not None and hours_planned > max_work_hours:
        flags.append(ItemFlag.ABOVE_MAX_HOURS.value)
    return flags


# Words that would turn a missed item into a case for punishment. No page, document or
# e-mail of this app uses them (tests check the rendered outputs); UN Basic Principles 17:
# failure to implement an agreement must not be used to justify a more severe sentence.
HARSHER_OUTCOME_WORDS = (
    "sanction",
    "breach",
    "prosecut",
    "harsher",
    "penalt",
    "custody",
    "punish",
    "violation",
    "non-compliance",
    "noncompliance",
    "sentenc",
    "warrant",
    "arrest",
    "failure",
)


def harsher_outcome_words(text: str) -> list[str]:
    """The words of `HARSHER_OUTCOME_WORDS` found in `text` (case-insensitive)."""
    folded = text.casefold()
    return [word for word in HARSHER_OUTCOME_WORDS if word in folded]
