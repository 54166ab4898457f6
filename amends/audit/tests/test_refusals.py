"""Refusals are audited: a 403, and a 404 for a record that exists but is hidden."""

from __future__ import annotations

import re

from django.urls import reverse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent


def _refusals():
    return AuditEvent.objects.filter(action=Action.ACCESS_REFUSED)


def test_a_forbidden_page_is_recorded_with_who_and_where(cast, client_for):
    response = client_for("facilitator").get(reverse("audit:event_list"))
    assert response.status_code == 403
    event = _refusals().get()
    assert event.actor_id == cast.facilitator.pk
    assert event.data == {"method": "GET", "path": "/audit/", "status": 403}


def test_a_hidden_programme_is_recorded_with_it_as_the_target(cast, client_for):
    url = reverse("programmes:members", args=[cast.programme.slug])
    response = client_for("other_supervisor").get(url)
    assert response.status_code == 404
    event = _refusals().get()
    assert event.target_type == "programmes.programme"
    assert event.target_id == str(cast.programme.pk)
    assert event.programme_id == cast.programme.pk, "the programme's own readers see the probe"


def test_a_hidden_record_answers_exactly_like_a_missing_one(cast, client_for):
    client = client_for("other_supervisor")
    hidden = client.get(reverse("programmes:members", args=[cast.programme.slug]))
    missing = client.get(reverse("programmes:members", args=["no-such-programme"]))
    assert hidden.status_code == missing.status_code == 404
    assert _without_nonce(hidden.content) == _without_nonce(missing.content)


def _without_nonce(html):
    # The CSP nonce and the CSRF token differ on every response by design, and the
    # language switcher echoes the requested address.
    html = re.sub(rb'nonce="[^"]+"', b"", html)
    html = re.sub(rb'name="next" type="hidden" value="[^"]+"', b"", html)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def test_a_missing_record_is_not_a_refusal(cast, client_for):
    client_for("administrator").get(reverse("programmes:members", args=["no-such-programme"]))
    assert not _refusals().exists()
