"""Tells django-axes which account a sign-in attempt was for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str:
    """allauth authenticates with {"email": ..., "password": ...}; its form field is
    "login". Both are lower-cased so "Alice@x" and "alice@x" share one counter."""
    value = ""
    if credentials:
        value = str(credentials.get("email") or credentials.get("login") or "")
    if not value and request is not None and request.method == "POST":
        value = str(request.POST.get("login", ""))
    return value.strip().lower()
