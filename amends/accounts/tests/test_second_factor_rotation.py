"""Key rotation covers the second-factor secrets allauth stores with our keys."""

from __future__ import annotations

import time
from io import StringIO

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD


def _sign_in_with_code(email, code):
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    return client.get("/").status_code == 200


def test_after_rotation_and_dropping_the_old_key_second_factors_still_work(cast, settings):
    old_key = settings.ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    codes = RecoveryCodes.activate(cast.supervisor).generate_codes()
    before = {a.pk: dict(a.data) for a in Authenticator.objects.all()}

    with override_settings(ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_encryption_keys", verbosity=0, stdout=StringIO())

    with override_settings(ENCRYPTION_KEYS=[new_key]):
        for authenticator in Authenticator.objects.all():
            for key in ("secret", "seed"):
                if key in before[authenticator.pk]:
                    assert authenticator.data[key] != before[authenticator.pk][key]
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        code = format_hotp_value(hotp_value(cast.totp_secrets["coordinator"], counter))
        assert _sign_in_with_code("coordinator@example.org", code)
        assert _sign_in_with_code("supervisor@example.org", codes[0])


def test_a_dry_run_leaves_second_factor_secrets_alone(cast, settings):
    new_key = Fernet.generate_key().decode()
    before = {a.pk: dict(a.data) for a in Authenticator.objects.all()}
    with override_settings(ENCRYPTION_KEYS=[new_key, *settings.ENCRYPTION_KEYS]):
        call_command("rotate_encryption_keys", "--dry-run", stdout=StringIO())
    assert {a.pk: dict(a.data) for a in Authenticator.objects.all()} == before
