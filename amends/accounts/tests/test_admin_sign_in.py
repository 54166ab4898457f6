"""The Django admin cannot be used to sign in around the second factor."""

from __future__ import annotations

from django.test import Client

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from conftest import PASSWORD


def test_admin_sign_in_form_sends_people_to_the_real_sign_in(cast):
    response = Client().get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_posting_a_correct_password_to_the_admin_does_not_sign_in(cast):
    client = Client()
    client.post("/admin/login/", {"username": "platform_admin@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_platform_administrator_signed_in_with_both_factors_reaches_the_admin(client_for):
    assert client_for("platform_admin").get("/admin/").status_code == 200


def test_signing_out_is_audited(cast, client_for):
    client_for("coordinator").post("/accounts/logout/")
    event = AuditEvent.objects.filter(action=Action.SIGNED_OUT).get()
    assert event.actor_id == cast.coordinator.pk
