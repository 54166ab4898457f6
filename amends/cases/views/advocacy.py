"""The advocate's way in: the participants they support, each with the case's stage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.cases.permissions import participant_policy
from amends.cases.selectors import supported_participants
from amends.core.permissions import require_page


@require_GET
@login_required
def supported_list(request: HttpRequest) -> HttpResponse:
    require_page(participant_policy, request.user, "support")
    return render(
        request,
        "cases/supported_list.html",
        {"participants": supported_participants(request.user)},
    )
