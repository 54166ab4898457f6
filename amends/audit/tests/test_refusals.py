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


def test_giving_someone_a_role_does_not_open_their_history_elsewhere(cast, client_for):
    from amends.accounts.roles import Role
    from amends.accounts.services import membership_grant
    from amends.audit.selectors import audit_event_list_for_user
    from amends.audit.services import audit_record

    # given: the other programme's supervisor signed in and read their own log
    before_sign_in = audit_record(actor=cast.other_supervisor, action=Action.SIGNED_IN)
    before_read = audit_record(actor=cast.other_supervisor, action=Action.AUDIT_VIEWED)
    # when: Northshire's administrator gives them a role in Northshire
    membership_grant(
        actor=cast.administrator,
        programme=cast.programme,
        user=cast.other_supervisor,
        role=Role.EVALUATOR,
    )
    after_sign_in = audit_record(actor=cast.other_supervisor, action=Action.SIGNED_IN)
    after_read = audit_record(actor=cast.other_supervisor, action=Action.AUDIT_VIEWED)
    # then: only their sign-ins from now on show in Northshire's log
    visible = set(audit_event_list_for_user(cast.administrator))
    assert after_sign_in in visible
    assert before_sign_in not in visible
    assert before_read not in visible
    assert after_read not in visible, "what they read elsewhere is not Northshire's business"
