"""One error shape for every API answer that is not a success (DESIGN §6).

    {"error": {"status": 404, "code": "not_found", "message": "...", "fields": {...}}}

`fields` is there only for a bad request, with the messages for each parameter. Refusals
are recorded in the audit log exactly as for pages (DRF catches the exceptions before
the refusal middleware could see them, so the handler calls the same code).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from amends.audit.middleware import audit_refusal


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    if request is not None:
        if isinstance(exc, Http404 | PermissionDenied):
            audit_refusal(request._request, exc)
        elif isinstance(exc, exceptions.PermissionDenied):
            audit_refusal(request._request, PermissionDenied())
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    error: dict[str, Any] = {
        "status": response.status_code,
        "code": _code(exc, response.status_code),
        "message": _message(detail, response.status_code),
    }
    if isinstance(exc, exceptions.ValidationError) and isinstance(detail, dict):
        error["fields"] = {name: [str(m) for m in messages] for name, messages in detail.items()}
    response.data = {"error": error}
    return response


def _code(exc: Exception, status_code: int) -> str:
    if isinstance(exc, exceptions.APIException):
        return str(exc.default_code)
    if status_code == status.HTTP_404_NOT_FOUND:
        return "not_found"
    return "permission_denied"


def _message(detail: Any, status_code: int) -> str:
    from django.utils.translation import gettext as _

    if isinstance(detail, str):
        return str(detail)
    if status_code == status.HTTP_400_BAD_REQUEST:
        return _("Some parameters are not valid; see 'fields'.")
    if status_code == status.HTTP_404_NOT_FOUND:
        return _("Not found.")
    return _("You are not allowed to do this.")
