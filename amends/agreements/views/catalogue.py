"""The programme's list of other agreement items (administrators and supervisors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amends.agreements import selectors
from amends.agreements.forms import CatalogueItemForm, OfferedForm
from amends.agreements.services import catalogue_item_add, catalogue_item_set_offered
from amends.agreements.views.common import STATUS_REFUSED, actor
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_for_user_or_404(programme_policy, request.user, "configure", slug=slug)


@require_http_methods(["GET", "POST"])
@login_required
def catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    form = CatalogueItemForm(request.POST or None)
    refused = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise form_refusal(_("The item was not added to the list."), form)
            catalogue_item_add(
                actor=actor(request),
                programme=programme,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as error:
            refused = error
        else:
            messages.success(request, _("The item is added to the list."))
            return redirect("agreements:catalogue", slug=programme.slug)
    context = {
        "programme": programme,
        "items": selectors.catalogue_for(programme, offered_only=False),
        "form": form,
        "refused": refused,
    }
    return render(
        request,
        "agreements/catalogue.html",
        context,
        status=STATUS_REFUSED if refused else 200,
    )


@require_POST
@login_required
def catalogue_offer(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    programme = _programme(request, slug)
    item = selectors.catalogue_for(programme, offered_only=False).filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = OfferedForm(request.POST)
    form.is_valid()
    offered = bool(form.cleaned_data.get("offered"))
    catalogue_item_set_offered(actor=actor(request), item=item, offered=offered)
    messages.success(
        request,
        _("“%(name)s” is offered again.") % {"name": item.name}
        if offered
        else _("“%(name)s” is no longer offered.") % {"name": item.name},
    )
    return redirect("agreements:catalogue", slug=programme.slug)
