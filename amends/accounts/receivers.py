"""Audit of sign-in events. allauth, Django and axes announce these only as signals, so
these receivers are the one place signals are used; each only calls the audit service,
except one that marks a new session as freshly saved (core.middleware)."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, user_logged_in
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver

from amends.accounts.models import User
from amends.accounts.selectors import user_find_by_email
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.middleware import mark_session_refreshed


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.SIGNED_IN, target=user)


@receiver(django_user_logged_in)
def _session_fresh(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    # Django's own signal, sent by every sign-in (tests' force_login too): the new session
    # is saved now, so its end needs no push on the next request.
    session = getattr(request, "session", None)
    if session is not None:
        mark_session_refreshed(session)


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=Action.SIGNED_OUT, target=user)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django has already masked the password in `credentials`; only the address is kept.
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = user_find_by_email(login) if login else None
    data = {"login": login[:254]}
    if credentials.get("step"):
        data["step"] = str(credentials["step"])
    audit_record(actor=user, action=Action.SIGN_IN_FAILED, target=user, data=data)


@receiver(authentication_failed)
def _second_factor_failed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    # A wrong authenticator or recovery code is a failed sign-in like a wrong password:
    # announcing it as one makes django-axes count it (lockout) and the log record it.
    user_login_failed.send(
        sender=__name__,
        credentials={"email": user.email, "step": "second factor"},
        request=request,
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    user = user_find_by_email(username) if username else None
    audit_record(
        actor=user,
        action=Action.LOCKED_OUT,
        target=user,
        data={"login": (username or "")[:254], "ip_address": ip_address},
    )


@receiver(authenticator_added)
@receiver(authenticator_removed)
def _factor_changed(
    sender: Any, signal: Any, request: Any, user: User, authenticator: Any, **kwargs: Any
) -> None:
    action = Action.MFA_ENROLLED if signal is authenticator_added else Action.MFA_REMOVED
    audit_record(actor=user, action=action, target=user, data={"type": authenticator.type})


@receiver(authenticator_reset)
def _codes_regenerated(
    sender: Any, request: Any, user: User, authenticator: Any, **kwargs: Any
) -> None:
    audit_record(actor=user, action=Action.RECOVERY_CODES_GENERATED, target=user)


@receiver(password_changed)
@receiver(password_reset)
def _password_changed(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.PASSWORD_CHANGED, target=user)
