"""The whereabouts detector (pure): the author's own details, however written, and the
generic patterns of an address, a postcode, a phone number or an e-mail address."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.exchanges.whereabouts import (
    FindingKind,
    OwnDetails,
    context_of,
    find_whereabouts,
)

OWN = OwnDetails(
    addresses=("Flat 2, 12 Larch Street\nNorthtown\nNT1 2AB",),
    phones=("+44 7700 900123",),
    emails=("hana.h@example.org",),
    others=("@hana_h_north",),
)


def _found(text: str, own: OwnDetails = OWN) -> list[tuple[str, str, bool, bool]]:
    return [
        (str(finding.kind), finding.text, finding.own, finding.blocking)
        for finding in find_whereabouts(text, own)
    ]


@pytest.mark.gate("G10")
@pytest.mark.parametrize(
    "written", ["07700 900123", "07700-900-123", "+447700900123", "(07700) 900 123"]
)
def test_the_authors_own_phone_number_is_found_however_it_is_written(written):
    assert _found(f"Ring me on {written} any time.") == [("phone", written, True, True)]


@pytest.mark.gate("G10")
def test_the_authors_own_email_address_is_found_whatever_its_capitals():
    assert _found("Write to Hana.H@Example.org please") == [
        ("email", "Hana.H@Example.org", True, True)
    ]


@pytest.mark.gate("G10")
def test_the_authors_own_postcode_is_found_with_or_without_its_space():
    assert _found("near nt12ab now") == [("postcode", "nt12ab", True, True)]
    assert _found("near NT1 2AB now") == [("postcode", "NT1 2AB", True, True)]


@pytest.mark.gate("G10")
def test_a_line_of_the_authors_address_with_a_number_is_blocking():
    assert _found("I live at 12 larch street  now") == [("address", "12 larch street", True, True)]


@pytest.mark.gate("G10")
def test_the_authors_street_written_another_way_is_still_their_own():
    assert _found("I live at 12 Larch St. now") == [("street", "12 Larch St.", True, True)]


def test_a_town_from_the_authors_address_is_flagged_but_may_be_confirmed():
    assert _found("I went back to Northtown.") == [("place", "Northtown", True, False)]


@pytest.mark.gate("G10")
def test_another_handle_of_the_author_is_blocking():
    assert _found("find me: @HANA_H_NORTH") == [("contact", "@HANA_H_NORTH", True, True)]


def test_generic_patterns_are_flagged_for_a_look_but_do_not_block():
    text = (
        "The helpline is 0113 496 0000, or write to 4 Old Mill Lane, LS1 4AP, "
        "or help@victims.example; my flat 3b is small."
    )
    assert _found(text) == [
        ("phone", "0113 496 0000", False, False),
        ("street", "4 Old Mill Lane", False, False),
        ("postcode", "LS1 4AP", False, False),
        ("email", "help@victims.example", False, False),
        ("street", "flat 3b", False, False),
    ]


def test_dates_times_amounts_and_short_numbers_are_not_phone_numbers():
    text = "On 12.05.2024 at 10:30 I paid £250.00 for 3 tickets, reference 12345678."
    assert _found(text) == []


def test_an_overlap_reports_the_authors_own_detail_once():
    findings = find_whereabouts("I live at 12 Larch Street, NT1 2AB.", OWN)
    assert [(f.kind, f.own) for f in findings] == [
        (FindingKind.ADDRESS, True),
        (FindingKind.POSTCODE, True),
    ]


def test_without_stored_details_only_the_patterns_are_found():
    assert _found("Ring 07700 900123 or visit 12 Larch Street", OwnDetails()) == [
        ("phone", "07700 900123", False, False),
        ("street", "12 Larch Street", False, False),
    ]


def test_short_parts_of_an_address_are_not_matched_everywhere():
    own = OwnDetails(addresses=("5 Elm Road, Leeds, UK",))
    assert _found("The UK is big and Leeds is nice.", own) == [("place", "Leeds", True, False)]


def test_empty_text_has_nothing_to_find():
    assert find_whereabouts("", OWN) == []


def test_context_shows_the_text_around_a_finding():
    text = "Please ring me on 07700 900123 tonight."
    (finding,) = find_whereabouts(text, OWN)
    assert context_of(text, finding, around=8) == ("g me on ", "07700 900123", " tonight")


@given(
    st.text(
        alphabet=st.sampled_from("0123456789 +-.()abcNT@exampl,\n12 Larch Street"), max_size=120
    )
)
def test_findings_never_overlap_and_their_offsets_point_at_their_text(text):
    findings = find_whereabouts(text, OWN)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    for earlier, later in zip(findings, findings[1:], strict=False):
        assert earlier.end <= later.start
