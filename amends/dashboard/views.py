"""A programme's dashboard: its caseload and flow at a glance (issue 6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.views.decorators.http import require_GET

from amends.core.counting import COUNT_CAP
from amends.core.permissions import get_for_user_or_404
from amends.dashboard import selectors
from amends.dashboard.permissions import dashboard_policy
from amends.tasks.permissions import programme_work_policy


@require_GET
@login_required
def programme_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(dashboard_policy, request.user, "view_dashboard", slug=slug)
    context = {
        "programme": programme,
        "dashboard": selectors.programme_dashboard(programme, timezone.localdate()),
        "links": dashboard_policy.can(request.user, "follow_to_cases", programme),
        "overdue_link": programme_work_policy.can(request.user, "view_overdue", programme),
        "cap": number_format(COUNT_CAP, force_grouping=True),
        "caseload_rows": selectors.CASELOAD_ROWS,
        "due_soon_days": selectors.DUE_SOON_DAYS,
        "recent_days": selectors.RECENT_DAYS,
    }
    return render(request, "dashboard/programme.html", context)
