"""The case list: filter, sort, page, and search by reference or by a person's details.

With htmx the filter form asks for the results fragment only; without JavaScript the
same URL answers the whole page. Pages are read by keyset: the "next" and "previous"
links carry an opaque cursor (`cursor=`), and a cursor that cannot be read gives the
first page with a message, never an error. A search for the reference of a case the
user may see goes straight to that case.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.views.decorators.http import require_GET

from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.filters import CaseListFilterForm
from amends.cases.listing import (
    STAGE_OPEN,
    CasePage,
    CaseSort,
    SearchKind,
    case_list_for_user,
    case_page,
    list_programme_ids_for_user,
    visible_case_by_reference,
)
from amends.cases.permissions import case_policy
from amends.core.counting import COUNT_CAP, capped_count
from amends.core.htmx import is_htmx_partial
from amends.core.permissions import require_page


def _query_with_cursor(query: QueryDict, cursor: str | None) -> str:
    """The current search and filters with the page cursor moved (None: the first page).
    The old `page` number is dropped too: pages are no longer numbered."""
    kept = query.copy()
    for name in ("cursor", "page"):
        kept.pop(name, None)
    if cursor is not None:
        kept["cursor"] = cursor
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


def _go_to_case(request: HttpRequest, reference: str) -> HttpResponse:
    url = reverse("cases:detail", args=[reference])
    if is_htmx_partial(request):
        # htmx would put the whole case page inside the results: have it navigate instead.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
    else:
        response = redirect(url)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_page(case_policy, request.user, "list")
    # A reference goes straight to its case, before the filter form and its choosers are
    # built: the lookup is one query on the unique index, whatever else the URL says.
    search = request.GET.get("q", "")
    found = visible_case_by_reference(request.user, search) if search else None
    if found is not None:
        reference, programme_id = found
        _audit_search(request, SearchKind.REFERENCE, [programme_id], 1)
        return _go_to_case(request, reference)
    form = CaseListFilterForm(request.GET or None, user=request.user)
    page: CasePage | None = None
    total = 0
    filters: dict[str, Any] = {}
    if not form.is_bound or form.is_valid():
        filters = form.selector_filters() if form.is_bound else {}
        search = filters.get("search", "")
        listing = case_list_for_user(request.user, **filters, reference_ruled_out=bool(search))
        total = capped_count(listing.cases, cap=COUNT_CAP)
        page = case_page(listing, cursor=request.GET.get("cursor"), size=form.page_size())
        if listing.search_kind is not None:
            programme = filters.get("programme")
            _audit_search(
                request,
                listing.search_kind,
                [programme.pk] if programme else list_programme_ids_for_user(request.user),
                min(total, COUNT_CAP),
            )
    context = {
        "form": form,
        "page": page,
        "cases": page.cases if page is not None else [],
        "count": min(total, COUNT_CAP),
        "count_shown": number_format(min(total, COUNT_CAP), force_grouping=True),
        "count_is_capped": total > COUNT_CAP,
        "first_query": _query_with_cursor(request.GET, None),
        "next_query": _query_with_cursor(request.GET, page.next_cursor)
        if page is not None and page.next_cursor
        else None,
        "previous_query": _query_with_cursor(request.GET, page.previous_cursor)
        if page is not None and page.previous_cursor
        else None,
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
