"""Select lists are built in Python for speed; they must read exactly as Django's own
select templates write them (attributes, groups, selection, escaping)."""

from __future__ import annotations

import pytest
from django import forms

from amends.core.templatetags.amends_tags import bootstrap_widget, render_select


class _Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Anyone"), ("x<y", "A & B"), ("2", "Two")], help_text="Pick one"
    )
    grouped = forms.ChoiceField(
        required=False, choices=[("Group <1>", [("1", "One")]), ("3", "Three")]
    )
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")])
    maybe = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=[("1", "One")], disabled=True)


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "x<y", "grouped": "1", "several": ["1", "2"], "maybe": "true"}, {}],
    ids=["unbound", "bound", "bound with errors"],
)
@pytest.mark.parametrize("name", ["plain", "grouped", "several", "maybe", "disabled"])
def test_a_select_reads_exactly_as_django_writes_it(data, name):
    field = _Choices(data)[name]
    attrs = {"class": "form-select", "aria-invalid": "true"}

    assert render_select(field, dict(attrs)) == field.as_widget(attrs=dict(attrs)).replace(
        "\n", ""
    ).replace("  ", "")


def test_the_bootstrap_filter_uses_it_for_selects_and_escapes_labels():
    html = bootstrap_widget(_Choices({"plain": "x<y"})["plain"])

    assert html.startswith('<select name="plain" class="form-select"')
    assert '<option value="x&lt;y" selected>A &amp; B</option>' in html
