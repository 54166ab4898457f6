"""Binds each request's id and client address for the audit log."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from amends.core import request_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_address(request: HttpRequest) -> str | None:
    """The client's address; X-Forwarded-For is only believed behind trusted proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        # A proxy's request id is kept so logs line up; anything odd-looking is replaced.
        request_id = (
            incoming
            if settings.TRUSTED_PROXY_COUNT and _REQUEST_ID.match(incoming)
            else request_context.new_request_id()
        )
        context = request_context.RequestContext(
            request_id=request_id, ip_address=client_address(request)
        )
        with request_context.bound(context):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class NoStoreWhenSignedInMiddleware:
    """Pages shown to a signed-in person are never kept in the browser's or a proxy's
    cache: on a shared computer, Back after signing out must not show a case or a log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response


# How often an active session's end is pushed forward (see SessionKeepAliveMiddleware).
SESSION_REFRESH_SECONDS = 60
_SESSION_REFRESHED_KEY = "_amends_refreshed_at"


class SessionKeepAliveMiddleware:
    """Idle sessions end SESSION_COOKIE_AGE after the last request; activity keeps them
    alive. Django's SESSION_SAVE_EVERY_REQUEST does that by writing the session on every
    request, which makes every page view a database write (and on SQLite every reader
    queue for the one write lock). Here an active session is written at most once a
    minute: a session then ends between one minute before and at the idle limit.

    Placed just inside SessionMiddleware, which saves the session when it was changed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # No key: no session (a visitor never signed in, or one just signed out).
        if session is None or session.session_key is None or session.modified:
            return response
        if time.time() - int(session.get(_SESSION_REFRESHED_KEY, 0)) >= SESSION_REFRESH_SECONDS:
            mark_session_refreshed(session)
        return response


def mark_session_refreshed(session: Any) -> None:
    """Record that the session's end was just pushed forward (it is about to be saved).
    Signing in does it too, so the first page after signing in is not a write."""
    session[_SESSION_REFRESHED_KEY] = int(time.time())
