"""Information sheets (G3) are versioned per language; a person whose language has no sheet
is given the one in the programme's default language."""

from __future__ import annotations

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import InformationSheet
from amends.programmes.services import information_sheet_publish, programme_settings_update
from amends.programmes.tests.helpers import present


def _publish(
    cast, language="cy", title="Cyfiawnder adferol", body="Testun.", actor="administrator"
):
    return information_sheet_publish(
        actor=cast.users[actor], programme=cast.programme, language=language, title=title, body=body
    )


@pytest.mark.gate("G3")
def test_publishing_makes_the_next_version_in_that_language_only(cast):
    english = list(InformationSheet.objects.filter(programme=cast.programme).values())
    # when
    welsh_1 = _publish(cast)
    welsh_2 = _publish(cast, body="Testun newydd.")
    english_2 = _publish(cast, language="en", title="What happens next", body="New text.")
    # then
    assert (welsh_1.version, welsh_2.version, english_2.version) == (1, 2, 2)
    assert (
        list(
            InformationSheet.objects.filter(
                programme=cast.programme, language="en", version=1
            ).values()
        )
        == english
    )
    assert InformationSheet.objects.get(pk=welsh_1.pk).body == "Testun."
    assert selectors.current_information_sheet(cast.programme, "cy") == welsh_2
    event = AuditEvent.objects.filter(
        action=Action.INFORMATION_SHEET_VERSIONED, actor=cast.administrator
    ).latest("id")
    assert event.data == {"language": "en", "version": 2, "previous_version": 1}


def test_the_same_title_and_text_again_is_no_new_version(cast):
    _publish(cast, body="Line one.\nLine two.")
    before = AuditEvent.objects.count()
    again = _publish(cast, language=" CY", body="Line one.\r\nLine two.\r\n")
    assert again.version == 1
    assert AuditEvent.objects.count() == before


@pytest.mark.gate("G3")
def test_a_language_without_a_sheet_falls_back_to_the_default_language(cast):
    _publish(cast, language="pt", title="Justiça restaurativa", body="Texto.")
    assert present(selectors.current_information_sheet(cast.programme, "fr")).language == "en"
    assert present(selectors.current_information_sheet(cast.programme, "")).language == "en"
    assert present(selectors.current_information_sheet(cast.programme, "PT-BR")).language == "pt"
    # when the default language changes, so does the fallback
    programme_settings_update(actor=None, programme=cast.programme, default_language="pt")
    assert present(selectors.current_information_sheet(cast.programme, "fr")).language == "pt"


def test_the_languages_with_a_sheet_are_listed(cast):
    _publish(cast, language="es", title="Justicia restaurativa", body="Texto.")
    _publish(cast, language="cy")
    _publish(cast, language="cy", body="Eto.")
    assert selectors.information_sheet_languages(cast.programme) == ["cy", "en", "es"]


@pytest.mark.parametrize(
    ("language", "title", "body", "reason"),
    [
        ("", "Title", "Text", "Choose a language."),
        ("welsh", "Title", "Text", "“welsh” is not a language code"),
        ("c1", "Title", "Text", "“c1” is not a language code"),
        ("cy", "  ", "Text", "Give the sheet a title."),
        ("cy", "t" * 201, "Text", "200 characters or fewer"),
        ("cy", "Title", " \r\n ", "Write the text of the sheet."),
    ],
)
def test_a_bad_sheet_is_refused_with_a_reason_and_nothing_is_published(
    cast, language, title, body, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _publish(cast, language=language, title=title, body=body)
    assert refusal.value.message == "The information sheet was not published."
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "advocate", "evaluator"])
def test_only_administrators_and_supervisors_may_publish_a_sheet(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        _publish(cast, actor=name)
    assert domain_snapshot() == before
