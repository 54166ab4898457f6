"""Template filters shared by every app."""

from __future__ import annotations

from datetime import timedelta

from django import forms, template
from django.forms import BoundField
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def timeuntil_delta(value: timedelta | None) -> str:
    """A duration in words, rounded up to whole minutes: "30 minutes"."""
    if not value:
        return ""
    minutes = max(1, -(-int(value.total_seconds()) // 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@register.filter
def bootstrap_widget(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap's class for its kind, marked invalid
    when it has errors and linked to its help text and errors for screen readers."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
