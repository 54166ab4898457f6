"""Sends a signed-in user without a second factor to enrolment, from every page.

allauth offers TOTP but has no switch to make it compulsory; this is that switch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from amends.accounts.mfa import has_second_factor, second_factor_required

# Pages a user without a second factor may still reach: enrolment itself, the
# re-authentication allauth asks for before it, signing out, choosing a language.
ALLOWED_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "account_logout",
    "set_language",
    "health",
)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._allowed_paths: frozenset[str] | None = None

    def allowed_paths(self) -> frozenset[str]:
        if self._allowed_paths is None:
            self._allowed_paths = frozenset(reverse(name) for name in ALLOWED_URL_NAMES)
        return self._allowed_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            second_factor_required(user)
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in self.allowed_paths()
            and not has_second_factor(user)
        ):
            return self._send_to_enrolment(request)
        return self.get_response(request)

    def _send_to_enrolment(self, request: HttpRequest) -> HttpResponse:
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.info(
            request,
            _("Before you continue, set up a second factor: an authenticator app on your phone."),
        )
        return HttpResponseRedirect(target)
