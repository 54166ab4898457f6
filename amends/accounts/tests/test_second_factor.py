"""Every account must enrol a second factor before it can use anything else."""

from __future__ import annotations

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from conftest import PASSWORD

ENROLMENT = reverse("mfa_activate_totp")


def _without_second_factor(cast, name="coordinator"):
    Authenticator.objects.filter(user=cast.users[name]).delete()
    client = Client()
    client.force_login(cast.users[name])
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/programmes/northshire-rj/members/",
        "/audit/",
        "/admin/",
        "/accounts/password/change/",
        "/no-such-page/",
    ],
)
def test_user_without_second_factor_is_sent_to_enrolment_from_every_page(cast, url):
    client = _without_second_factor(cast, "administrator")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == ENROLMENT


def test_posts_are_refused_too_and_change_nothing(cast):
    from amends.accounts.models import Membership

    client = _without_second_factor(cast, "administrator")
    before = Membership.objects.count()
    response = client.post(
        reverse("programmes:member_add", args=[cast.programme.slug]),
        {"email": "x@example.org", "full_name": "X", "role": "coordinator"},
    )
    assert response["Location"] == ENROLMENT
    assert Membership.objects.count() == before


def test_htmx_requests_are_redirected_with_hx_redirect(cast):
    client = _without_second_factor(cast)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == ENROLMENT


def test_enrolment_sign_out_and_language_stay_reachable(cast):
    client = _without_second_factor(cast)
    # allauth asks for the password again before enrolment: that page must be reachable.
    assert client.get(ENROLMENT).status_code in {200, 302}
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "es"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302


def test_with_a_second_factor_pages_open(client_for):
    assert client_for("coordinator").get("/").status_code == 200


@override_settings(DEMO_MODE=True)
def test_demo_mode_relaxes_enrolment_and_says_so_on_every_page(cast):
    client = _without_second_factor(cast)
    response = client.get("/")
    assert response.status_code == 200
    assert "Demo mode." in response.content.decode()


def test_demo_banner_is_absent_outside_demo_mode(client_for):
    assert "Demo mode." not in client_for("coordinator").get("/").content.decode()


def test_totp_secret_is_encrypted_at_rest(cast):
    authenticator = Authenticator.objects.get(user=cast.coordinator, type="totp")
    stored = authenticator.data["secret"]
    secret = cast.totp_secrets["coordinator"]
    assert stored != secret
    assert get_adapter().decrypt(stored) == secret
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (raw,) = cursor.fetchone()
    assert secret not in str(raw)


def test_sign_in_with_password_and_totp_code_reaches_home_and_is_audited(cast):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "coordinator@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302, "not signed in before the second factor"
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(cast)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action=Action.SIGNED_IN).latest("id")
    assert event.actor_id == cast.coordinator.pk


def test_a_wrong_totp_code_does_not_sign_in(cast):
    client = Client()
    client.post(
        reverse("account_login"), {"login": "coordinator@example.org", "password": PASSWORD}
    )
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert client.get("/").status_code == 302


def test_enrolling_a_second_factor_is_audited(cast, django_capture_on_commit_callbacks):
    client = _without_second_factor(cast)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(ENROLMENT)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]  # the secret allauth shows as a QR code
    code = format_hotp_value(hotp_value(secret, _counter()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ENROLMENT, {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=cast.coordinator, type="totp").exists()
    assert AuditEvent.objects.filter(action=Action.MFA_ENROLLED, actor=cast.coordinator).exists()
    assert client.get("/").status_code == 200


def _counter():
    import time

    from allauth.mfa import app_settings

    return int(time.time()) // app_settings.TOTP_PERIOD


def _current_code(cast):
    return format_hotp_value(hotp_value(cast.totp_secrets["coordinator"], _counter()))


def test_removing_the_second_factor_is_audited_and_sends_the_user_back_to_enrolment(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for("facilitator", reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.MFA_REMOVED)
    assert event.actor_id == cast.facilitator.pk
    assert event.data == {"type": "totp"}
    assert client.get("/")["Location"] == ENROLMENT
