"""The shuttle log: each visit or call a facilitator makes between the parties."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import KEY_ROLES, Case, Participant
from amends.core.errors import ApplicationError
from amends.exchanges import rules, selectors
from amends.exchanges.models import RoundMethod, ShuttleRound
from amends.exchanges.permissions import exchange_case_policy
from amends.exchanges.services._common import lock_case, require_exchange_stage


def _round_problems(
    case: Case,
    *,
    number: int,
    held_on: datetime.date | None,
    facilitator: User | None,
    party: Participant | None,
    method: str,
    summary: str,
) -> list[str]:
    reasons = []
    highest = selectors.next_round_number(case) - 1
    if number < 1 or number > highest + 1:
        reasons.append(
            _("The round number must be between 1 and %(next)d.") % {"next": highest + 1}
        )
    reasons += rules.date_problems(
        held_on,
        today=timezone.localdate(),
        not_before=timezone.localtime(case.created_at).date(),
        what=_("of the round"),
    )
    if facilitator is None or facilitator not in selectors.assigned_facilitators(case):
        reasons.append(_("Choose a facilitator assigned to the case."))
    if party is None or party.case_id != case.pk or party.role not in KEY_ROLES:
        reasons.append(_("Choose the party who was visited or called."))
    elif ShuttleRound.objects.filter(case=case, number=number, party=party).exists():
        reasons.append(
            _("Round %(number)d with this party is already in the log.") % {"number": number}
        )
    elif selectors.outstanding_withdrawal(party):
        reasons.append(_("That party has withdrawn their consent to take part."))
    if method not in RoundMethod.values:
        reasons.append(_("Choose how the round took place."))
    if not summary:
        reasons.append(_("Write a short summary of the round."))
    elif len(summary) > rules.TEXT_MAX_LENGTH:
        reasons.append(
            _("The summary must be at most %(limit)d characters.")
            % {"limit": rules.TEXT_MAX_LENGTH}
        )
    return reasons


def shuttle_round_record(
    *,
    actor: User,
    case: Case,
    number: int,
    held_on: datetime.date | None,
    facilitator: User | None,
    party: Participant | None,
    method: str,
    summary: str,
) -> ShuttleRound:
    """Add a visit or call to the shuttle log: which round, when, which facilitator, which
    party, how, and a summary (encrypted). A round may have one entry per party; numbers
    run from 1 without gaps. Only while the case is ready for an indirect process or in it.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    summary = summary.strip()
    with transaction.atomic():
        locked = lock_case(case.pk)
        exchange_case_policy.require(actor, "work", locked)
        message = _("The round was not recorded.")
        require_exchange_stage(locked, message)
        reasons = _round_problems(
            locked,
            number=number,
            held_on=held_on,
            facilitator=facilitator,
            party=party,
            method=method,
            summary=summary,
        )
        if reasons or facilitator is None or party is None or held_on is None:
            raise ApplicationError(message, reasons=reasons)
        entry = ShuttleRound.objects.create(
            case=locked,
            number=number,
            held_on=held_on,
            facilitator=facilitator,
            party=party,
            method=method,
            summary=summary,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.SHUTTLE_ROUND_RECORDED,
            target=entry,
            programme=locked.programme,
            data={
                "case": locked.pk,
                "number": number,
                "held_on": held_on.isoformat(),
                "facilitator": facilitator.pk,
                "party": party.pk,
                "method": method,
            },
        )
    return entry
