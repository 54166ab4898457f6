"""A person signs in through a real browser (Debian's Chromium): password, then the code
from their authenticator app, and lands on their home page."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from conftest import PASSWORD, accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def test_coordinator_signs_in_with_password_and_authenticator_code(live_server, page, cast):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    violations = accessibility_violations(page)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    screenshot(page, "sign-in")

    page.get_by_label("Email").fill("coordinator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url("**/accounts/2fa/authenticate/")
    screenshot(page, "second-factor")
    page.get_by_label("Code").fill(_code(cast.totp_secrets["coordinator"]))
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Coordinator"
    assert page.get_by_role("heading", name="Northshire RJ").is_visible()
    violations = accessibility_violations(page)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    screenshot(page, "home-coordinator")
    assert page.csp_violations == []
