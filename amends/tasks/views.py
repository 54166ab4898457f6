"""My work, a programme's overdue work, and marking a task done (G13)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404, require_page
from amends.tasks import selectors
from amends.tasks.permissions import programme_work_policy, task_policy
from amends.tasks.services import task_complete


@require_GET
@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    require_page(task_policy, request.user, "my_work")
    today = timezone.localdate()
    context = {
        "today": today,
        "work": selectors.my_work(request.user, today),
        "overdue_programmes": selectors.overdue_programmes_for_user(request.user),
        "upcoming_days": selectors.UPCOMING_DAYS,
    }
    return render(request, "tasks/my_work.html", context)


@require_GET
@login_required
def programme_overdue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(programme_work_policy, request.user, "view_overdue", slug=slug)
    today = timezone.localdate()
    context = {
        "programme": programme,
        "today": today,
        "overdue": selectors.overdue_for_programme(programme, today, viewer=request.user),
    }
    return render(request, "tasks/programme_overdue.html", context)


@require_POST
@login_required
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_for_user_or_404(task_policy, request.user, "complete", pk=task_id)
    try:
        task = task_complete(actor=request.user, task=task)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, " ".join([error.message, *error.reasons]))
    else:
        messages.success(request, _("Marked as done: %(title)s") % {"title": task.title})
    return redirect(_next_page(request))


def _next_page(request: HttpRequest) -> str:
    """Back to the page the button was on, if it is one of ours; else My work."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "tasks:my_work"
