"""Strict Content Security Policy: nonces on scripts, no inline styles, no inline scripts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

PAGES = ["account_login", "home", "mfa_index"]


def _nonce(policy):
    match = re.search(r"'nonce-([^']+)'", policy)
    assert match, policy
    return match[1]


def _client(url_name, client_for):
    # The sign-in page is for visitors; a signed-in user is sent on from it.
    return client_for(None if url_name == "account_login" else "coordinator")


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_send_a_strict_csp_with_a_fresh_nonce(url_name, client_for):
    client = _client(url_name, client_for)
    first = client.get(reverse(url_name))
    second = client.get(reverse(url_name))
    policy = first["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self';" in policy or policy.endswith("style-src 'self'")
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    nonce = _nonce(policy)
    assert nonce not in second["Content-Security-Policy"]


@pytest.mark.parametrize("url_name", PAGES)
def test_pages_have_no_inline_styles_and_every_script_carries_the_nonce(url_name, client_for):
    response = _client(url_name, client_for).get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    nonce = _nonce(response["Content-Security-Policy"])
    assert " style=" not in html
    assert "<style" not in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the shell loads htmx and Bootstrap"
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)


def test_static_assets_come_from_our_own_origin_never_a_cdn(client_for):
    html = client_for("coordinator").get(reverse("home")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert not re.search(r"(src|href)=\"https?://", html)


@pytest.mark.parametrize("path", ["/", "/audit/", "/programmes/northshire-rj/members/"])
def test_signed_in_pages_are_never_cached(path, client_for):
    response = client_for("administrator").get(path)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control
