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


def _past_the_password(cast, address="203.0.113.20"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"login": "coordinator@example.org", "password": PASSWORD})
    assert _signed_in(response)
    return client


def _code(cast):
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(cast.totp_secrets["coordinator"], counter))


def test_wrong_second_factor_codes_count_towards_the_lockout_and_are_audited(cast):
    client = _past_the_password(cast)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    failures = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, data__step="second factor")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action=Action.LOCKED_OUT).exists()
    # The right code is now refused too: guessing cannot outrun the lockout.
    response = client.post(reverse("mfa_authenticate"), {"code": _code(cast)})
    assert client.get("/").status_code == 302
    assert response.status_code in {200, 429}


def test_a_locked_account_cannot_start_again_with_its_password(cast):
    client = _past_the_password(cast)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = _attempt("coordinator@example.org", PASSWORD, address="198.51.100.77")
    assert response.status_code == 429


def test_a_correct_code_after_a_few_wrong_ones_still_signs_in(cast):
    client = _past_the_password(cast)
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": _code(cast)})
    assert client.get("/").status_code == 200
