"""Shared form helpers for views."""

from __future__ import annotations

from django.forms import Form

from amends.core.errors import ApplicationError


def form_refusal(message: str, form: Form) -> ApplicationError:
    """A form's errors as a refusal, each reason led by its field's label, so they show in
    the same place and the same words as a service's refusal."""
    reasons: list[str] = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None else None
        reasons.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return ApplicationError(message, reasons=reasons)
