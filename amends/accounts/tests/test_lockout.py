"""django-axes pauses sign-in after repeated failures, per account and per address."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from conftest import PASSWORD

LOGIN = reverse("account_login")


def _attempt(email, password, address="203.0.113.7"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"login": email, "password": password})


def _signed_in(response):
    # A correct password leads on to the second-factor step.
    return response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert not _signed_in(_attempt("facilitator@example.org", "wrong password!"))
    # From another address too: the counter is per account.
    response = _attempt("facilitator@example.org", PASSWORD, address="198.51.100.9")
    assert response.status_code == 429
    assert "Sign-in is paused" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT).exists()
    assert (
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count()
        >= settings.AXES_FAILURE_LIMIT
    )


def test_failures_below_the_limit_do_not_lock(cast):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt("facilitator@example.org", "wrong password!")
    assert _signed_in(_attempt("facilitator@example.org", PASSWORD))


def test_an_address_guessing_across_accounts_is_locked_out_for_everyone_it_tries(cast):
    for name in ["coordinator", "supervisor", "advocate", "referrer", "evaluator"]:
        _attempt(f"{name}@example.org", "wrong password!", address="192.0.2.50")
    # The right password of an account that never failed, from the same address: refused.
    assert _attempt("facilitator@example.org", PASSWORD, address="192.0.2.50").status_code == 429
    # The same account from elsewhere is fine: it is the address that is locked.
    assert _signed_in(_attempt("facilitator@example.org", PASSWORD, address="192.0.2.51"))


def test_account_counter_ignores_the_case_of_the_address(cast):
    variants = [
        "Facilitator@example.org",
        "FACILITATOR@example.org",
        "facilitator@Example.org",
        "facilitator@example.org",
        "FaCiLiTaToR@example.org",
    ]
    for number, variant in enumerate(variants):
        _attempt(variant, "wrong password!", address=f"198.51.100.{number + 1}")
    assert _attempt("facilitator@example.org", PASSWORD, address="203.0.113.99").status_code == 429


def test_failed_sign_in_is_audited_without_the_password(cast):
    _attempt("facilitator@example.org", "my secret guess")
    event = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).latest("id")
    assert event.data == {"login": "facilitator@example.org"}
    assert event.actor_id == cast.facilitator.pk
    assert event.ip_address == "203.0.113.7"
