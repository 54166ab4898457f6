"""Who is asking, from where, in which request: read by the audit log.

Set by RequestContextMiddleware for web requests; management commands and jobs run with
no context (the audit log records them without an address).
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "amends_request_context", default=None
)


def current() -> RequestContext | None:
    """The context of the request being served, if any."""
    return _current.get()


@contextmanager
def bound(context: RequestContext) -> Iterator[RequestContext]:
    """Make `context` current for the duration of the block."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
