"""Reads of the audit log for the viewer, newest first, one page at a time."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from amends.accounts.models import User
from amends.audit.models import AuditEvent
from amends.audit.permissions import audit_policy

if TYPE_CHECKING:
    from amends.programmes.models import Programme

PAGE_SIZE = 50


def _start_of_day(day: datetime.date) -> datetime.datetime:
    # Dates are the reader's calendar days (the site's time zone), not UTC days.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list_for_user(
    user: Any,
    *,
    actor: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    programme: Programme | int | None = None,
) -> QuerySet[AuditEvent]:
    """The events `user` may see that match every filter given, newest first.

    Each filter lands on one of the model's (column, -id) indexes, so a filtered page
    stays an index range scan however long the log grows.
    """
    events = audit_policy.visible_to(user)
    if actor:
        # Through the users table, so the (actor, -id) index serves it; an address with
        # no account matches nothing, exactly like an account with no visible events.
        events = events.filter(actor_id__in=User.objects.filter(email=actor).values("pk"))
    if action:
        events = events.filter(action=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if programme is not None:
        events = events.filter(
            programme_id=programme if isinstance(programme, int) else programme.pk
        )
    if date_from is not None:
        events = events.filter(occurred_at__gte=_start_of_day(date_from))
    if date_to is not None:
        next_day = date_to + datetime.timedelta(days=1)
        events = events.filter(occurred_at__lt=_start_of_day(next_day))
    return events.select_related("programme").order_by("-id")


def audit_event_page(
    queryset: QuerySet[AuditEvent], *, before_id: int | None, size: int = PAGE_SIZE
) -> tuple[list[AuditEvent], int | None]:
    """One page of `queryset` (newest first) and the id to ask for the next, if any.

    Keyset pagination: "older than id N" is an index seek wherever the page is, where
    OFFSET would read and discard every earlier row. No COUNT(*) over the log either.
    """
    if before_id is not None:
        queryset = queryset.filter(id__lt=before_id)
    rows = list(queryset.order_by("-id")[: size + 1])
    if len(rows) <= size:
        return rows, None
    page = rows[:size]
    return page, page[-1].id
