"""Who may see and work on a case's indirect exchange (DESIGN §1; docs/permissions.md).

- coordinators and supervisors of the programme, and the facilitators assigned to the
  case: every item, with its review notes and flags, and the shuttle log; they enter,
  edit and pass on items;
- only an assigned facilitator reviews (the service adds: not the person who wrote the
  revision, unless they are the only facilitator on the case);
- an advocate: the items their client wrote, and the items written for their client
  once they have been passed on, never review notes, flags or the shuttle log. They may
  record that their client read an item passed on to them;
- referrers, evaluators and administrators: nothing.

The predicates and the querysets sit side by side so they cannot drift; a test checks
that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case
from amends.cases.permissions import (
    case_policy,
    is_assigned_facilitator,
    manages_programme_cases,
)
from amends.core.permissions import Policy
from amends.exchanges.models import DELIVERED_STATUSES, ExchangeItem

_is_advocate_in_programme = has_role_in_programme(Role.ADVOCATE)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules_predicate
def advocates_someone_in_case(user: Any, case: Any) -> bool:
    return (
        isinstance(case, Case)
        and _is_advocate_in_programme.test(user, case)
        and case.participants.filter(advocate=user).exists()
    )


@rules_predicate
def advocates_author(user: Any, item: Any) -> bool:
    return (
        isinstance(item, ExchangeItem)
        and item.author.advocate_id == user.pk
        and _is_advocate_in_programme.test(user, item.case)
    )


@rules_predicate
def advocates_recipient_of_delivered(user: Any, item: Any) -> bool:
    # Before it is passed on, the other party's words are not for the recipient's side.
    return (
        isinstance(item, ExchangeItem)
        and item.is_delivered
        and item.recipient.advocate_id == user.pk
        and _is_advocate_in_programme.test(user, item.case)
    )


@rules_predicate
def file_is_passed_on(user: Any, item: Any) -> bool:
    return isinstance(item, ExchangeItem) and item.passes_on_attachment


_works_on_case = manages_programme_cases | is_assigned_facilitator


def _advocated_cases(user: Any) -> Q:
    return Q(
        participants__advocate=user,
        programme_id__in=programme_ids_with_role(user, [Role.ADVOCATE]),
    )


class ExchangeCasePolicy(Policy[Case]):
    """The case's "Indirect exchange" page and the shuttle log."""

    model = Case
    actions = {
        "view": _works_on_case | advocates_someone_in_case,
        # Enter items, record shuttle rounds, see the whole exchange.
        "work": _works_on_case,
    }

    def visible_to(self, user: Any) -> QuerySet[Case]:
        if not _signed_in(user):
            return Case.objects.none()
        worked = case_policy.visible_to(user).values("pk")
        return Case.objects.filter(Q(pk__in=worked) | _advocated_cases(user)).distinct()


class ExchangeItemPolicy(Policy[ExchangeItem]):
    model = ExchangeItem
    actions = {
        "view": _works_on_case | advocates_author | advocates_recipient_of_delivered,
        # The original before it is passed on, the review notes and the flags.
        "see_review": _works_on_case,
        "edit": _works_on_case,
        "submit": _works_on_case,
        "review": is_assigned_facilitator,
        "relay": _works_on_case,
        "record_read": _works_on_case | advocates_recipient_of_delivered,
        "download": _works_on_case
        | advocates_author
        | (advocates_recipient_of_delivered & file_is_passed_on),
    }

    def visible_to(self, user: Any) -> QuerySet[ExchangeItem]:
        if not _signed_in(user):
            return ExchangeItem.objects.none()
        worked = case_policy.visible_to(user).values("pk")
        advocated = programme_ids_with_role(user, [Role.ADVOCATE])
        return ExchangeItem.objects.filter(
            Q(case_id__in=worked)
            | Q(author__advocate=user, case__programme_id__in=advocated)
            | Q(
                recipient__advocate=user,
                case__programme_id__in=advocated,
                status__in=list(DELIVERED_STATUSES),
            )
        ).distinct()


exchange_case_policy = ExchangeCasePolicy()
exchange_item_policy = ExchangeItemPolicy()
