"""The home page: each user's programmes and what their roles let them do there."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amends.accounts.selectors import home_programmes_for_user


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/home.html", {"programmes": home_programmes_for_user(request.user)}
    )
