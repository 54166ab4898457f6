from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from amends.crypto.rotation import encrypted_columns, rotate_all
from amends.people.models import ContactChannel, Person
from amends.people.services import contact_channel_add, person_create
from amends.people.tests.conftest import raw_row

pytestmark = pytest.mark.django_db

PERSON_COLUMNS = ("given_name", "family_name", "date_of_birth", "pronouns")
CHANNEL_COLUMNS = ("value", "safe_times", "notes")


@pytest.fixture
def written_under_key_a(actor, key_a):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        ada = person_create(
            actor=actor,
            given_name="Ada",
            family_name="Lovelace",
            date_of_birth=datetime.date(1985, 12, 10),
        )
        grace = person_create(actor=actor, given_name="Grace", pronouns="she/her")
        contact_channel_add(
            actor=actor,
            person=ada,
            kind="phone",
            value="07700 900123",
            is_safe=True,
            safe_times="Evenings",
        )
    return [ada, grace]


def _raw_tokens() -> dict[tuple[str, int], tuple[object, ...]]:
    tokens = {("person", p): raw_row("people_person", p, *PERSON_COLUMNS) for p in _ids(Person)}
    for pk in _ids(ContactChannel):
        tokens["channel", pk] = raw_row("people_contactchannel", pk, *CHANNEL_COLUMNS)
    return tokens


def _ids(model) -> list[int]:
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def _rotate(*arguments: str) -> str:
    output = StringIO()
    call_command("rotate_encryption_keys", *arguments, stdout=output)
    return output.getvalue()


def test_after_rotation_the_old_key_can_be_dropped(written_under_key_a, key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        output = _rotate()

    with override_settings(ENCRYPTION_KEYS=[key_b]):
        ada = Person.objects.get(pk=written_under_key_a[0].pk)
        grace = Person.objects.get(pk=written_under_key_a[1].pk)
        channel = ada.channels.get()
    assert (ada.given_name, ada.family_name, ada.date_of_birth) == (
        "Ada",
        "Lovelace",
        datetime.date(1985, 12, 10),
    )
    assert (grace.given_name, grace.pronouns, grace.date_of_birth) == ("Grace", "she/her", None)
    assert (channel.value, channel.safe_times, channel.notes) == ("07700 900123", "Evenings", "")
    assert "people_person.given_name: 2 re-encrypted" in output
    assert "people_person.date_of_birth: 1 re-encrypted" in output


def test_rotation_changes_every_ciphertext_and_leaves_empty_and_null_values_alone(
    written_under_key_a, key_a, key_b
):
    before = _raw_tokens()

    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        _rotate()

    after = _raw_tokens()
    for row, old_values in before.items():
        for old, new in zip(old_values, after[row], strict=True):
            if old in ("", None):
                assert new == old
            else:
                assert new != old


def test_a_dry_run_counts_but_changes_nothing(written_under_key_a, key_a, key_b):
    before = _raw_tokens()

    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        output = _rotate("--dry-run")

    assert _raw_tokens() == before
    assert "people_person.given_name: 2 would be re-encrypted" in output


def test_a_second_rotation_changes_nothing(written_under_key_a, key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        first = rotate_all()
        after_first = _raw_tokens()
        second = rotate_all()

    assert _raw_tokens() == after_first
    # Ada: given, family, date of birth; Grace: given, pronouns; the channel: value, times.
    assert sum(first.values()) == 7
    assert set(second.values()) == {0}


def test_rotation_works_through_several_batches(actor, key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        for number in range(5):
            person_create(actor=actor, given_name=f"Person {number}")

    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        counts = rotate_all(batch_size=2)

    assert counts["people_person.given_name"] == 5
    with override_settings(ENCRYPTION_KEYS=[key_b]):
        assert sorted(Person.objects.values_list("given_name", flat=True)) == [
            f"Person {number}" for number in range(5)
        ]


def test_rotation_stops_with_a_clear_error_when_a_value_cannot_be_read(written_under_key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_b]), pytest.raises(CommandError) as refused:
        _rotate()

    assert "people_contactchannel." in str(refused.value)
    assert "no key in ENCRYPTION_KEYS" in str(refused.value)


def test_rotation_covers_every_encrypted_column_and_no_audit_table():
    labels = {column.label for column in encrypted_columns()}

    assert {f"people_person.{name}" for name in (*PERSON_COLUMNS, "accessibility_needs")} <= labels
    assert {f"people_contactchannel.{name}" for name in CHANNEL_COLUMNS} <= labels
    assert "people_person.name_index" not in labels
    assert not any(label.startswith("audit_") for label in labels)


def test_a_rotation_is_audited_with_counts_and_never_values(written_under_key_a, key_a, key_b):
    from amends.audit.actions import Action
    from amends.audit.models import AuditEvent

    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        _rotate()
        _rotate("--dry-run")
    events = AuditEvent.objects.filter(action=Action.KEYS_ROTATED)
    assert events.count() == 1, "a dry run is not a rotation"
    event = events.get()
    assert event.data["values"] > 0
    assert "people_person.given_name" in event.data["columns"]
    assert "Ada" not in str(event.data)
    assert "Lovelace" not in str(event.data)
