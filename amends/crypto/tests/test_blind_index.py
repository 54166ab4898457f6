from __future__ import annotations

import datetime
import re
import string

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from amends.crypto.blind_index import (
    BlindIndexField,
    BlindIndexKind,
    blind_index,
    blind_index_name_and_birth_date,
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_reference,
)

ANOTHER_KEY = "another blind index key, long enough to be valid"


@pytest.mark.parametrize(
    "variant",
    [
        "José Núñez",
        "jose nunez",
        "JOSE NUNEZ",
        "  José   Núñez ",
        "José\tNúñez",
        "Jose\u0301 Nun\u0303ez",
    ],
)
def test_names_match_whatever_their_case_accents_and_spacing(variant):
    assert blind_index(variant, BlindIndexKind.NAME) == blind_index(
        "José Núñez", BlindIndexKind.NAME
    )


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("OBrien", "obrien"),
        ("Smith-Jones", "smith jones"),
        ("Smith - Jones", "smith jones"),
        ("Straße", "strasse"),
        ("Zoë", "zoe"),
        ("ŁUKASZ", "łukasz"),
        ("Mary-Jane St. John", "mary jane st john"),
    ],
)
def test_name_normalisation_drops_apostrophes_and_turns_other_punctuation_into_spaces(
    written, normalised
):
    assert normalise_name(written) == normalised


def test_a_name_split_by_a_space_is_a_different_name():
    # "O Brien" has two words; only the apostrophe is treated as noise.
    assert normalise_name("O Brien") != normalise_name("O'Brien")


@pytest.mark.parametrize("national", ["07700 900123", "07700900123", "(07700) 900-123"])
def test_a_phone_number_matches_in_national_and_international_form(national):
    assert blind_index(national, BlindIndexKind.PHONE) == blind_index(
        "+44 7700 900123", BlindIndexKind.PHONE
    )


def test_phone_numbers_become_e164():
    assert normalise_phone("07700 900123") == "+447700900123"
    assert normalise_phone("00 44 7700 900123") == "+447700900123"


def test_the_phone_region_setting_decides_how_national_numbers_are_read():
    with override_settings(PHONE_REGION="US"):
        assert normalise_phone("(202) 555-0143") == "+12025550143"


def test_an_unreadable_phone_number_is_reduced_to_its_digits_keeping_a_leading_plus():
    assert normalise_phone("+12") == "+12"
    assert normalise_phone("12-3") == "123"


def test_email_addresses_match_whatever_their_case_and_outer_spaces():
    assert blind_index(" Ada.Lovelace@Example.ORG ", BlindIndexKind.EMAIL) == blind_index(
        "ada.lovelace@example.org", BlindIndexKind.EMAIL
    )


@pytest.mark.parametrize("other", ["adalovelace@example.org", "ada.lovelace+x@example.org"])
def test_dots_and_plus_tags_in_email_addresses_are_kept(other):
    assert blind_index(other, BlindIndexKind.EMAIL) != blind_index(
        "ada.lovelace@example.org", BlindIndexKind.EMAIL
    )


def test_references_ignore_case_spaces_and_separators():
    assert normalise_reference(" am-2025/0012 ") == normalise_reference("AM 2025 0012")


def test_an_index_is_32_hex_characters():
    assert re.fullmatch(r"[0-9a-f]{32}", blind_index("Ada", BlindIndexKind.NAME))


def test_the_same_text_gives_a_different_index_for_each_kind():
    indexes = {blind_index("07700 900123", kind) for kind in BlindIndexKind}

    assert len(indexes) == len(BlindIndexKind)


def test_another_blind_index_key_gives_another_index():
    before = blind_index("Ada Lovelace", BlindIndexKind.NAME)

    with override_settings(BLIND_INDEX_KEY=ANOTHER_KEY):
        after = blind_index("Ada Lovelace", BlindIndexKind.NAME)

    assert after != before


def test_name_and_birth_date_index_depends_on_both_and_differs_from_the_name_index():
    born = datetime.date(1990, 2, 3)
    index = blind_index_name_and_birth_date("José Núñez", born)

    assert index == blind_index_name_and_birth_date("jose  NUNEZ", born)
    assert index != blind_index_name_and_birth_date("José Núñez", datetime.date(1990, 2, 4))
    assert index != blind_index("José Núñez", BlindIndexKind.NAME)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", BlindIndexKind.NAME),
        (" - ' ", BlindIndexKind.NAME),
        ("   ", BlindIndexKind.EMAIL),
        ("no digits", BlindIndexKind.PHONE),
        ("+", BlindIndexKind.PHONE),
        ("--/", BlindIndexKind.REFERENCE),
    ],
)
def test_a_value_that_normalises_to_nothing_has_no_index(value, kind):
    with pytest.raises(ValueError, match="Nothing is left"):
        blind_index(value, kind)


def test_a_name_that_normalises_to_nothing_has_no_name_and_birth_date_index():
    with pytest.raises(ValueError, match="Nothing is left"):
        blind_index_name_and_birth_date("'", datetime.date(1990, 2, 3))


def test_blind_index_field_defaults_and_migration_form():
    field = BlindIndexField()
    field.set_attributes_from_name("name_index")

    _, path, _, kwargs = field.deconstruct()

    assert (field.max_length, field.blank, field.editable) == (32, True, False)
    assert path == "amends.crypto.blind_index.BlindIndexField"
    assert kwargs == {}
    assert BlindIndexField(db_index=False).deconstruct()[3] == {"db_index": False}


# --- properties of the normalisers ----------------------------------------------------

phone_like = st.text(alphabet="0123456789+()-. extEXT#*", max_size=30)
ascii_text = st.text(alphabet=string.printable)


@given(st.text())
def test_name_normalisation_is_idempotent(value):
    assert normalise_name(normalise_name(value)) == normalise_name(value)


@given(st.text())
def test_name_normalisation_ignores_case_folding(value):
    assert normalise_name(value.casefold()) == normalise_name(value)


@given(ascii_text)
def test_name_normalisation_ignores_upper_and_lower_case(value):
    assert normalise_name(value.upper()) == normalise_name(value.lower())


@given(st.text())
def test_email_normalisation_is_idempotent(value):
    assert normalise_email(normalise_email(value)) == normalise_email(value)


@given(ascii_text)
def test_email_normalisation_ignores_upper_and_lower_case(value):
    assert normalise_email(value.upper()) == normalise_email(value.lower())


@given(st.one_of(phone_like, st.text()))
def test_phone_normalisation_is_idempotent(value):
    assert normalise_phone(normalise_phone(value)) == normalise_phone(value)


@given(st.text())
def test_reference_normalisation_is_idempotent(value):
    assert normalise_reference(normalise_reference(value)) == normalise_reference(value)


@given(ascii_text)
def test_reference_normalisation_ignores_upper_and_lower_case(value):
    assert normalise_reference(value.upper()) == normalise_reference(value.lower())


@given(st.text(), st.sampled_from(list(BlindIndexKind)))
def test_an_index_is_always_32_hex_characters_or_refused(value, kind):
    try:
        index = blind_index(value, kind)
    except ValueError:
        return
    assert re.fullmatch(r"[0-9a-f]{32}", index)
