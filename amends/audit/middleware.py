"""Records refusals (DESIGN §4): a 403, or a 404 for a record that exists but is hidden
from the user, is written to the audit log before Django renders the error page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.permissions import HiddenObject


class RefusalAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        audit_refusal(request, exception)


def audit_refusal(request: HttpRequest, exception: Exception) -> None:
    """Record a refusal: a 403, or a 404 for a record that exists but is hidden. Anything
    else (a plain 404 for what does not exist, an error) is not a refusal. Pages reach
    this through the middleware, the JSON API through its exception handler."""
    if isinstance(exception, HiddenObject):
        status, target = 404, exception.target
    elif isinstance(exception, PermissionDenied):
        status, target = 403, None
    else:
        return
    user = request.user if request.user.is_authenticated else None
    audit_record(
        actor=user,
        action=Action.ACCESS_REFUSED,
        target=target,
        data={"method": request.method, "path": request.path[:300], "status": status},
    )
