"""The case list: filter, sort, page, and search by reference or by a person's details.

With htmx the filter form asks for the results fragment only; without JavaScript the
same URL answers the whole page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.filters import CaseListFilterForm
from amends.cases.listing import (
    STAGE_OPEN,
    CaseSort,
    SearchKind,
    case_list_for_user,
    list_programme_ids_for_user,
)
from amends.cases.models import Case
from amends.cases.permissions import case_policy
from amends.core.htmx import is_htmx_partial
from amends.core.permissions import require_page


def _query_without_page(query: QueryDict) -> str:
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


def _audit_search(
    request: HttpRequest, kind: SearchKind, programme_ids: Iterable[int], matches: int
) -> None:
    """Record that a search was made and of what kind, never its text: the text is a
    person's name, phone number or e-mail address. One event per programme searched, so
    each programme's audit readers see the searches of their cases."""
    with transaction.atomic():
        for programme_id in sorted(programme_ids):
            audit_record(
                actor=request.user,
                action=Action.CASE_SEARCHED,
                programme=programme_id,
                data={"kind": str(kind), "matches": matches},
            )


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_page(case_policy, request.user, "list")
    form = CaseListFilterForm(request.GET or None, user=request.user)
    page: Page[Case] | None = None
    filters: dict[str, Any] = {}
    if not form.is_bound or form.is_valid():
        filters = form.selector_filters() if form.is_bound else {}
        listing = case_list_for_user(request.user, **filters)
        page = Paginator(listing.cases, form.page_size()).get_page(request.GET.get("page"))
        if listing.search_kind is not None:
            programme = filters.get("programme")
            _audit_search(
                request,
                listing.search_kind,
                [programme.pk] if programme else list_programme_ids_for_user(request.user),
                page.paginator.count,
            )
    context = {
        "form": form,
        "page": page,
        "cases": page.object_list if page is not None else [],
        "page_query": _query_without_page(request.GET),
        "only_open_cases": filters.get("stage", STAGE_OPEN) == STAGE_OPEN,
        "searched": bool(filters.get("search")),
        "sort_label": CaseSort(filters.get("sort", CaseSort.DUE)).label,
        "show_programme": len(list_programme_ids_for_user(request.user)) > 1,
    }
    template = "cases/_case_results.html" if is_htmx_partial(request) else "cases/case_list.html"
    response = render(request, template, context)
    # The same URL answers a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
