"""Idle sessions end after the configured time; activity keeps a session alive."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from amends.core.middleware import SESSION_REFRESH_SECONDS


def test_idle_time_is_thirty_minutes_by_default_and_closing_the_browser_ends_it():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def _last_refreshed(client, seconds_ago):
    session = client.session
    session["_amends_refreshed_at"] = int(time.time()) - seconds_ago
    session.save()
    return session.session_key


def test_activity_pushes_the_end_of_the_session_forward(client_for):
    client = client_for("coordinator")
    key = _last_refreshed(client, seconds_ago=SESSION_REFRESH_SECONDS)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=2))
    assert client.get("/").status_code == 200
    remaining = Session.objects.get(pk=key).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


def test_within_a_minute_of_the_last_push_a_request_does_not_write_the_session(client_for):
    client = client_for("coordinator")
    key = _last_refreshed(client, seconds_ago=5)
    soon = timezone.now() + timedelta(minutes=2)
    Session.objects.filter(pk=key).update(expire_date=soon)
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == soon


@pytest.mark.django_db
def test_a_visitor_who_never_signed_in_gets_no_session_row(client):
    assert client.get("/accounts/login/").status_code == 200
    assert not Session.objects.exists()


def test_a_session_idle_past_the_limit_is_signed_out(client_for):
    client = client_for("coordinator")
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
