from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amends.accounts.roles import Role


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("Used only when this person has no account yet."),
        required=False,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
