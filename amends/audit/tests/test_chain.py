"""The hash chain holds for honest writes and breaks, at the right event, for forged ones."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amends.audit.actions import Action
from amends.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    UNHASHED_FIELDS,
    canonical_json,
    event_hash,
    verify_chain,
)
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record
from amends.audit.tests.conftest import forge

pytestmark = pytest.mark.django_db


def _record_several(count: int = 4) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action=Action.KEYS_ROTATED, data={"n": n}, reason=f"run {n}")
        for n in range(count)
    ]


def _verify() -> str:
    output = io.StringIO()
    call_command("audit_verify", stdout=output)
    return output.getvalue()


def test_every_audit_field_is_either_hashed_or_deliberately_left_out() -> None:
    hashed_attributes = set(HASHED_FIELDS.values())
    for field in AuditEvent._meta.concrete_fields:
        assert field.attname in hashed_attributes | UNHASHED_FIELDS, field.name


def test_the_first_event_starts_from_the_genesis_hash_and_each_links_to_the_last() -> None:
    first, second = _record_several(2)

    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert first.hash == event_hash(GENESIS_HASH, AuditEvent.objects.get(pk=first.pk))


def test_canonical_json_has_one_spelling_per_value() -> None:
    moment = datetime.datetime(
        2026, 3, 1, 13, 0, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )

    assert canonical_json({"b": 1.0, "a": "é", "t": moment}) == (
        '{"a":"é","b":1,"t":"2026-03-01T12:00:00.000005+00:00"}'
    )


def test_canonical_json_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical_json({"t": datetime.datetime(2026, 3, 1)})  # noqa: DTZ001


def test_audit_verify_passes_on_an_honest_log_and_records_that_it_ran() -> None:
    events = _record_several()

    output = _verify()

    assert f"Audit chain intact: 4 events, last hash {events[-1].hash}." in output
    newest = AuditEvent.objects.first()
    assert newest is not None
    assert newest.action == Action.AUDIT_VERIFIED
    assert newest.actor_id is None
    assert newest.actor_label == "system"
    assert newest.data == {"events": 4}


def test_audit_verify_quiet_prints_nothing_on_success() -> None:
    _record_several()
    output = io.StringIO()

    call_command("audit_verify", "--quiet", stdout=output)

    assert output.getvalue() == ""


def test_audit_verify_passes_on_an_empty_log() -> None:
    assert "Audit chain intact: 0 events" in _verify()


def test_audit_verify_names_an_event_whose_data_was_rewritten() -> None:
    events = _record_several()
    forge("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[2].pk])

    with pytest.raises(CommandError) as failure:
        _verify()

    message = str(failure.value)
    assert f"broken at event {events[2].pk} " in message
    assert "keys_rotated" in message
    assert "content does not match its hash" in message
    assert failure.value.returncode == 1


def test_audit_verify_names_an_event_whose_hash_was_replaced() -> None:
    events = _record_several()
    forge("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, events[1].pk])

    with pytest.raises(CommandError, match=f"broken at event {events[1].pk} .*content"):
        _verify()


def test_audit_verify_detects_an_event_removed_from_the_middle() -> None:
    events = _record_several()
    forge("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])

    with pytest.raises(CommandError) as failure:
        _verify()

    assert f"broken at event {events[3].pk} " in str(failure.value)
    assert f"does not match the hash of event {events[1].pk}" in str(failure.value)


def test_audit_verify_detects_a_rewritten_event_whose_hash_was_recomputed() -> None:
    # An attacker who rewrites an event and recomputes its own hash breaks the next link.
    events = _record_several()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.reason = "nothing to see"
    new_hash = event_hash(forged.previous_hash, forged)
    forge(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        [forged.reason, new_hash, forged.pk],
    )

    with pytest.raises(CommandError) as failure:
        _verify()

    assert f"broken at event {events[2].pk} " in str(failure.value)
    assert f"does not match the hash of event {events[1].pk}" in str(failure.value)


def test_a_failed_verification_records_nothing() -> None:
    events = _record_several()
    forge("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", events[0].pk])

    with pytest.raises(CommandError):
        _verify()

    assert not AuditEvent.objects.filter(action=Action.AUDIT_VERIFIED).exists()


def test_verification_walks_the_log_in_batches() -> None:
    _record_several(7)

    report = verify_chain(batch_size=3)

    assert report.intact
    assert report.events == 7


_json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**62), max_value=2**62)
    | st.floats(allow_nan=False, allow_infinity=False)
    # PostgreSQL's jsonb cannot hold NUL characters.
    | st.text(st.characters(exclude_characters="\x00", codec="utf-8"), max_size=20)
)
_json = st.recursive(
    _json_leaf,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_characters="\x00", codec="utf-8"), max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(st.text(max_size=8).filter(lambda k: "\x00" not in k), _json, max_size=4)
)
def test_any_json_details_read_back_from_the_database_with_the_same_hash(
    data: dict[str, object],
) -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED, data=data)

    stored = AuditEvent.objects.get(pk=event.pk)

    assert event_hash(stored.previous_hash, stored) == stored.hash
