"""Small helpers for htmx-aware views (NetBox utilities/htmx.py)."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx_partial(request: HttpRequest) -> bool:
    """True when htmx asked for a fragment rather than a whole page (not a boosted link)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "boosted", False)
