"""Programme membership administration: who holds which role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amends.accounts.reauth import require_recent_authentication
from amends.accounts.roles import Role
from amends.accounts.selectors import membership_list_for_programme
from amends.accounts.services import member_invite, membership_revoke
from amends.core.errors import ApplicationError
from amends.core.permissions import get_for_user_or_404
from amends.programmes.forms import MemberAddForm
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy


def _members_page(
    request: HttpRequest, programme: Programme, form: MemberAddForm, status: int = 200
) -> HttpResponse:
    context = {
        "programme": programme,
        "memberships": membership_list_for_programme(programme.pk),
        "can_manage": programme_policy.can(request.user, "manage_members", programme),
        "form": form,
    }
    return render(request, "programmes/programme_members.html", context, status=status)


@require_GET
@login_required
def programme_members(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "view_members", slug=slug)
    return _members_page(request, programme, MemberAddForm())


@require_POST
@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "manage_members", slug=slug)
    require_recent_authentication(request)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _members_page(request, programme, form, status=400)
    try:
        member_invite(
            actor=request.user,  # type: ignore[arg-type]
            programme=programme,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=Role(form.cleaned_data["role"]),
        )
    except ApplicationError as error:
        for reason in error.reasons or [error.message]:
            form.add_error(None, reason)
        return _members_page(request, programme, form, status=400)
    messages.success(request, _("The role was given."))
    return redirect("programmes:members", slug=programme.slug)


@require_POST
@login_required
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    programme = get_for_user_or_404(programme_policy, request.user, "manage_members", slug=slug)
    require_recent_authentication(request)
    try:
        membership_revoke(actor=request.user, membership_id=membership_id, programme=programme)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, " ".join([error.message, *error.reasons]))
        return redirect("programmes:members", slug=programme.slug)
    messages.success(request, _("The role was removed."))
    return redirect("programmes:members", slug=programme.slug)
