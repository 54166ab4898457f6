"""Who is asking, from where, in which request: read by the audit log.

Set by RequestContextMiddleware for web requests; management commands and jobs run with
no context (the audit log records them without an address).
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    # Reads remembered for the rest of this request only (see `remembered`).
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)


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


def remembered[T](key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, remembered under `key` until the request ends: for configuration a page
    reads many times and no request changes twice. Outside a request (commands, jobs,
    tests calling code directly) nothing is remembered. A service that changes what a
    key holds calls `forget(key)`."""
    context = _current.get()
    if context is None:
        return read()
    if key not in context.memo:
        context.memo[key] = read()
    return context.memo[key]  # type: ignore[no-any-return]


def forget(key: Hashable) -> None:
    context = _current.get()
    if context is not None:
        context.memo.pop(key, None)
