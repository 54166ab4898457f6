"""The programme's venue directory: its coordinators and supervisors keep it, its
facilitators read it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amends.accounts.models import User
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.meetings import selectors, services
from amends.meetings.forms import VenueForm
from amends.meetings.models import Venue
from amends.meetings.permissions import programme_venues_policy, venue_policy
from amends.programmes.models import Programme


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _programme(request: HttpRequest, slug: str, action: str) -> Programme:
    return get_for_user_or_404(programme_venues_policy, request.user, action, slug=slug)


@require_GET
@login_required
def venue_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "view")
    context = {
        "programme": programme,
        "venues": selectors.venues_for_programme(programme),
        "can_manage": programme_venues_policy.can(request.user, "manage", programme),
    }
    return render(request, "meetings/venue_list.html", context)


def _form_page(
    request: HttpRequest,
    programme: Programme,
    form: VenueForm,
    *,
    venue: Venue | None,
    refused: ApplicationError | None,
    status: int,
) -> HttpResponse:
    context: dict[str, Any] = {
        "programme": programme,
        "venue": venue,
        "form": form,
        "refused": refused,
    }
    return render(request, "meetings/venue_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def venue_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug, "manage")
    form = VenueForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _form_page(request, programme, form, venue=None, refused=None, status=200)
    if not form.is_valid():
        refused = form_refusal(_("The venue was not added."), form)
        return _form_page(request, programme, form, venue=None, refused=refused, status=400)
    data = form.cleaned_data
    try:
        services.venue_create(
            actor=_actor(request),
            programme=programme,
            name=data["name"],
            address=data["address"],
            accessibility=data["accessibility"],
            has_separate_waiting_areas=data["has_separate_waiting_areas"],
            notes=data["notes"],
        )
    except ApplicationError as error:
        return _form_page(request, programme, form, venue=None, refused=error, status=400)
    messages.success(request, _("The venue is added."))
    return redirect("meetings:venues", slug=programme.slug)


@require_http_methods(["GET", "POST"])
@login_required
def venue_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    venue = get_for_user_or_404(venue_policy, request.user, "manage", pk=pk, programme__slug=slug)
    programme = venue.programme
    initial = {field: getattr(venue, field) for field in services.venues.FIELDS}
    form = VenueForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method != "POST":
        return _form_page(request, programme, form, venue=venue, refused=None, status=200)
    if not form.is_valid():
        refused = form_refusal(_("The venue was not changed."), form)
        return _form_page(request, programme, form, venue=venue, refused=refused, status=400)
    data = form.cleaned_data
    try:
        services.venue_update(actor=_actor(request), venue=venue, **data)
    except ApplicationError as error:
        return _form_page(request, programme, form, venue=venue, refused=error, status=400)
    messages.success(request, _("The venue is saved."))
    return redirect("meetings:venues", slug=programme.slug)
