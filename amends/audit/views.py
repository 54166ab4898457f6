"""The audit log viewer: filter, read newest first, page back in time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.audit.actions import Action
from amends.audit.filters import AuditEventFilterForm
from amends.audit.models import AuditEvent
from amends.audit.permissions import audit_policy
from amends.audit.selectors import audit_event_list_for_user, audit_event_page
from amends.audit.services import audit_record
from amends.core.permissions import require_page


def _before_id(query: QueryDict) -> int | None:
    # A hand-edited cursor that is not a positive number just means "the newest page".
    value = query.get("before", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _query_with_cursor(query: QueryDict, before_id: int | None) -> str:
    """The current filters with the cursor moved (None: back to the newest page)."""
    moved = query.copy()
    moved.pop("before", None)
    if before_id is not None:
        moved["before"] = str(before_id)
    return moved.urlencode()


@require_GET
@login_required
def audit_event_list(request: HttpRequest) -> HttpResponse:
    require_page(audit_policy, request.user, "list")
    form = AuditEventFilterForm(request.GET or None, user=request.user)
    events: list[AuditEvent] = []
    older_query = ""
    before_id = _before_id(request.GET)
    if not form.is_bound or form.is_valid():
        filters = form.selector_filters() if form.is_bound else {}
        queryset = audit_event_list_for_user(request.user, **filters)
        events, next_before_id = audit_event_page(queryset, before_id=before_id)
        if next_before_id is not None:
            older_query = _query_with_cursor(request.GET, next_before_id)
        # Reading the log is itself recorded, after the page is read, so the reader's
        # own "viewed" event does not crowd the page they are looking at.
        audit_record(
            actor=request.user,
            action=Action.AUDIT_VIEWED,
            programme=filters.get("programme"),
            data={"filters": form.audit_data() if form.is_bound else {}, "before": before_id},
        )
    context = {
        "form": form,
        "events": events,
        "older_query": older_query,
        "newest_query": _query_with_cursor(request.GET, None) if before_id else None,
    }
    return render(request, "audit/auditevent_list.html", context)
