"""The role × endpoint matrix (CONVENTIONS.md "Tests", Saleor's authorization tests).

Each app lists its routes in `<app>/tests/matrix.py` as `ROUTES = [Route(...), ...]`.
`amends/core/tests/test_matrix.py` runs every route for every member of the cast and for
an anonymous visitor, asserting the status and, when a write is refused, that no domain
table changed. A completeness test fails when a URL of ours has no row, so a new view
cannot ship without its permission rows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.apps import apps
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ANONYMOUS = "anonymous"


def _no_data(cast: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Route:
    """One endpoint and who may use it.

    `allowed`: cast member names (and possibly ANONYMOUS) who get `allowed_status`.
    `hidden_from`: names who get 404 because they may not know the object exists.
    Everyone else signed in gets 403; an anonymous visitor is sent to sign in (302), or,
    from the JSON API, gets `anonymous_status` (403).
    `reauthenticate`: allowed users confirm their password first (sensitive actions);
    refused users do not, which proves the permission check comes before the prompt.
    """

    url_name: str
    method: Literal["GET", "POST"]
    allowed: frozenset[str]
    path: Callable[[Any], str] | None = None
    data: Callable[[Any], Mapping[str, Any]] = _no_data
    allowed_status: int = 200
    hidden_from: frozenset[str] = frozenset()
    reauthenticate: bool = False
    label: str = ""
    anonymous_status: int = 302
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}{' ' + self.label if self.label else ''}"

    def url(self, cast: Any) -> str:
        return self.path(cast) if self.path else reverse(self.url_name)

    def expected_status(self, name: str) -> int:
        if name in self.allowed:
            return self.allowed_status
        if name == ANONYMOUS:
            return self.anonymous_status
        if name in self.hidden_from:
            return 404
        return 403


def collect_routes() -> list[Route]:
    """Every ROUTES list from amends.<app>.tests.matrix."""
    routes: list[Route] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("amends."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.matrix":
                raise
            continue
        routes.extend(module.ROUTES)
    return routes


def project_url_names() -> set[str]:
    """Names (with namespace) of every URL whose view lives in our code."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith("amends."):
                    names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def domain_snapshot() -> dict[str, tuple[Any, ...]]:
    """Row count, highest id and latest change of every table of ours except the audit log
    (a refusal is itself audited), to show a refused request changed nothing."""
    snapshot: dict[str, tuple[Any, ...]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("amends.") or model._meta.label == "audit.AuditEvent":
            continue
        aggregates: dict[str, Any] = {"highest": Max("pk")}
        if any(f.name == "updated_at" for f in model._meta.get_fields()):
            aggregates["changed"] = Max("updated_at")
        values = model._default_manager.aggregate(**aggregates)
        snapshot[model._meta.label] = (model._default_manager.count(), *values.values())
    return snapshot
