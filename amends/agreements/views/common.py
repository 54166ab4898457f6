"""What the agreement views share: loading through the policy, the actor, and the one
shape of every form posted from the agreement page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from amends.accounts.models import User
from amends.agreements.models import AgreementItem
from amends.agreements.permissions import agreement_policy
from amends.agreements.selectors import item_for_case
from amends.cases.models import Case
from amends.core.errors import ApplicationError
from amends.core.forms import form_refusal
from amends.core.permissions import get_for_user_or_404

STATUS_REFUSED = 400


def load_case(request: HttpRequest, reference: str, action: str = "view") -> Case:
    return get_for_user_or_404(agreement_policy, request.user, action, reference=reference)


def load_item(case: Case, item_id: int) -> AgreementItem:
    item = item_for_case(case, item_id)
    if item is None:
        raise Http404
    return item


def actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def submit(
    request: HttpRequest,
    case: Case,
    form: Form,
    *,
    key: str,
    not_done: str,
    done: str,
    act: Callable[[dict[str, Any]], object],
    page: Callable[..., HttpResponse],
) -> HttpResponse:
    """Check the form, call one service, and either say what happened and go back to
    the agreement page, or show the page again with the refusal and the form as sent
    (nothing changed)."""
    if not form.is_valid():
        refused = form_refusal(not_done, form)
        return page(request, case, status=STATUS_REFUSED, refused=refused, bound={key: form})
    try:
        act(form.cleaned_data)
    except ApplicationError as error:
        status = 409 if error.status_code == 409 else STATUS_REFUSED
        if error.status_code == 403:
            status = 403
        return page(request, case, status=status, refused=error, bound={key: form})
    messages.success(request, done)
    return redirect("agreements:case", reference=case.reference)
