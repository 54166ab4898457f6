"""The second-factor form at sign-in, guarded by the same lockout as passwords."""

from __future__ import annotations

from typing import Any

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.utils.translation import gettext as _


class SecondFactorForm(AuthenticateForm):  # type: ignore[misc]
    """allauth's code form, refusing any code while the account is locked out.

    Wrong codes are reported as failed sign-ins (accounts/receivers.py), so django-axes
    counts them with wrong passwords; without this check a correct code would still be
    accepted after the lockout, making the lockout useless against code guessing.
    """

    def clean_code(self) -> Any:
        request = context.request
        if AxesProxyHandler.is_locked(request, credentials={"email": self.user.email}):
            raise forms.ValidationError(
                _("Sign-in is paused for this account after too many failed attempts.")
            )
        return super().clean_code()
