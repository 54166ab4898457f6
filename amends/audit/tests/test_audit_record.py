"""audit_record: what it takes from the caller and from the request, and what it refuses."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from amends.audit.actions import Action
from amends.audit.chain import event_hash
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record, changed_fields
from amends.core.request_context import RequestContext, bound
from amends.people.models import Person

pytestmark = pytest.mark.django_db


def test_request_id_and_address_come_from_the_request_context(cast: Any) -> None:
    context = RequestContext(request_id="req-0123456789abcdef", ip_address="203.0.113.9")

    with bound(context):
        event = audit_record(actor=cast.supervisor, action=Action.PERSON_VIEWED)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.request_id == "req-0123456789abcdef"
    assert stored.ip_address == "203.0.113.9"


def test_outside_a_request_no_id_or_address_is_recorded() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    assert event.request_id == ""
    assert event.ip_address is None


def test_an_ipv6_address_is_hashed_as_the_database_stores_it() -> None:
    context = RequestContext(
        request_id="r" * 16, ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001"
    )

    with bound(context):
        event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.ip_address == "2001:db8::1"
    assert event_hash(stored.previous_hash, stored) == stored.hash


def test_an_action_outside_the_registry_is_refused() -> None:
    with pytest.raises(ValueError, match="not an audit action"):
        audit_record(actor=None, action="person.teleported")  # type: ignore[arg-type]

    assert not AuditEvent.objects.exists()


def test_actor_is_recorded_by_id_and_by_the_address_they_had_then(cast: Any) -> None:
    event = audit_record(actor=cast.coordinator, action=Action.PERSON_CREATED)

    assert event.actor_id == cast.coordinator.pk
    assert event.actor_label == "coordinator@example.org"


def test_someone_not_signed_in_is_recorded_as_anonymous_and_no_actor_as_the_system() -> None:
    anonymous = audit_record(actor=AnonymousUser(), action=Action.SIGN_IN_FAILED)
    system = audit_record(actor=None, action=Action.KEYS_ROTATED)

    assert (anonymous.actor_id, anonymous.actor_label) == (None, "anonymous")
    assert (system.actor_id, system.actor_label) == (None, "system")


def test_target_is_recorded_by_model_label_and_primary_key(cast: Any) -> None:
    event = audit_record(actor=None, action=Action.ACCOUNT_CREATED, target=cast.no_role)

    assert event.target_type == "accounts.user"
    assert event.target_id == str(cast.no_role.pk)
    assert event.programme_id is None


def test_programme_defaults_to_the_targets_programme(cast: Any) -> None:
    membership = cast.facilitator.memberships.get()

    event = audit_record(actor=None, action=Action.MEMBERSHIP_GRANTED, target=membership)

    assert event.programme_id == cast.programme.pk


def test_a_programme_that_is_itself_the_target_is_the_events_programme(cast: Any) -> None:
    event = audit_record(actor=None, action=Action.PROGRAMME_UPDATED, target=cast.programme)

    assert event.programme_id == cast.programme.pk


def test_programme_given_explicitly_wins_and_may_be_an_id(cast: Any) -> None:
    membership = cast.facilitator.memberships.get()

    by_object = audit_record(
        actor=None,
        action=Action.MEMBERSHIP_GRANTED,
        target=membership,
        programme=cast.other_programme,
    )
    by_id = audit_record(
        actor=None, action=Action.MEMBERSHIP_GRANTED, programme=cast.other_programme.pk
    )

    assert by_object.programme_id == by_id.programme_id == cast.other_programme.pk


def test_details_are_stored_as_json_and_keep_their_hash() -> None:
    moment = datetime.datetime(2026, 5, 4, 3, 2, 1, 123456, tzinfo=datetime.UTC)

    event = audit_record(
        actor=None,
        action=Action.KEYS_ROTATED,
        data={"when": moment, "count": 3, "nested": {"b": [1, 2.5]}},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.data == {
        "when": "2026-05-04T03:02:01.123456+00:00",
        "count": 3,
        "nested": {"b": [1, 2.5]},
    }
    assert event_hash(stored.previous_hash, stored) == stored.hash


def _a_change_that_fails_after_its_audit_event() -> None:
    with transaction.atomic():
        audit_record(actor=None, action=Action.KEYS_ROTATED)
        raise RuntimeError("the change failed")


def test_the_event_rolls_back_with_the_change_it_records() -> None:
    with pytest.raises(RuntimeError):
        _a_change_that_fails_after_its_audit_event()

    assert not AuditEvent.objects.exists()


def test_changed_fields_lists_old_and_new_values_of_plain_fields() -> None:
    before = Person(given_name="Ann", preferred_language="en", interpreter_needed=False)
    after = Person(given_name="Ann", preferred_language="cy", interpreter_needed=True)

    changes = changed_fields(
        before, after, ["given_name", "preferred_language", "interpreter_needed"]
    )

    assert changes == {
        "changed": {
            "preferred_language": {"old": "en", "new": "cy"},
            "interpreter_needed": {"old": False, "new": True},
        }
    }


def test_changed_fields_never_records_encrypted_values_or_blind_indexes() -> None:
    before = Person(given_name="Ann", family_name="Old", name_index="a" * 32)
    after = Person(given_name="Annabel", family_name="Old", name_index="b" * 32)

    changes = changed_fields(before, after, ["given_name", "family_name", "name_index"])

    assert changes == {
        "changed": {"given_name": {"changed": True}, "name_index": {"changed": True}}
    }
    text = str(changes)
    assert "Ann" not in text
    assert "a" * 32 not in text


def test_changed_fields_refuses_a_name_that_is_not_a_field(cast: Any) -> None:
    with pytest.raises(ValueError, match="relation"):
        changed_fields(cast.supervisor, cast.supervisor, ["memberships"])
