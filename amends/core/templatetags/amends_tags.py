"""Template filters shared by every app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
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
    if isinstance(widget, forms.Select):
        return render_select(field, attrs)
    return field.as_widget(attrs=attrs)


def render_select(field: BoundField, attrs: dict[str, str | bool]) -> str:
    """A select list, as Django's own select templates write it, built in Python.

    Django renders each <option> through a template of its own, which makes a list of a
    hundred colleagues or audit actions the slowest part of a page. The markup is the
    same: the widget's context (its optgroups and attributes) is Django's, only the
    joining is done here, every value escaped by format_html.
    """
    widget = field.field.widget
    # The attributes and value exactly as BoundField.as_widget prepares them.
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)
    data = context["widget"]
    groups = []
    for group_name, options, _index in data["optgroups"]:
        rendered = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), _attributes(option["attrs"]), option["label"])
                for option in options
            ),
        )
        if group_name:
            rendered = format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
        groups.append((rendered,))
    return format_html(
        '<select name="{}"{}>{}</select>',
        data["name"],
        _attributes(data["attrs"]),
        format_html_join("", "{}", groups),
    )


def _attributes(attrs: dict[str, Any]) -> str:
    # As django/forms/widgets/attrs.html writes them: in order, False left out, True bare.
    return format_html_join(
        "",
        "{}{}",
        (
            (format_html(" {}", name), "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )
