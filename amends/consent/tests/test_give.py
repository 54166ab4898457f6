"""Giving consent (G3): what it must name, how it must be given, on which information
sheet, by whom for a minor; and every refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.gates import g3_informed_consent
from amends.cases.models import ParticipantRole
from amends.cases.selectors import case_facts
from amends.cases.services import (
    case_close,
    case_pause,
    case_update_plan,
    information_give,
    participant_add,
)
from amends.cases.tests.builders import make_person
from amends.consent.models import ConsentEntry, ConsentKind, ConsentMethod, ConsentScope
from amends.consent.rules import MAX_DOCUMENT_BYTES
from amends.consent.tests.helpers import PDF, PNG, capture, give, ledger_writes, minor_case
from amends.consent.tests.helpers import pdf_upload as pdf
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.people.services import contact_channel_add
from amends.programmes.models import InformationSheet, ProcessType, ProgrammeSettings
from amends.programmes.selectors import current_information_sheet
from amends.programmes.services import information_sheet_publish

pytestmark = pytest.mark.django_db


def refused(actor, participant, reason, **overrides):
    """Giving consent is refused with `reason` and nothing at all is written."""
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        give(actor, participant, **overrides)
    assert reason in refusal.value.reasons, refusal.value.reasons
    assert domain_snapshot() == before
    return refusal.value


@pytest.mark.gate("G3")
def test_consent_on_screen_is_recorded_on_the_current_sheet_and_valid_for_the_window(
    cast, harmed, sheet
):
    # when
    entry = give(cast.facilitator, harmed, signature_name="Hana Harmed")
    # then
    entry.refresh_from_db()
    assert entry.is_given
    assert entry.scope == "take_part"
    assert entry.process_type == "conference"
    assert entry.sheet == sheet
    assert entry.method == "on_screen"
    assert entry.signature_name == "Hana Harmed"
    assert entry.recorded_by == cast.facilitator
    assert entry.valid_until == timezone.localdate() + datetime.timedelta(days=180)


@pytest.mark.gate("G3")
def test_the_validity_window_is_the_programmes_own(cast, harmed):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(consent_validity_days=30)
    entry = give(cast.coordinator, harmed)
    assert entry.valid_until == timezone.localdate() + datetime.timedelta(days=30)


@pytest.mark.gate("G3")
def test_giving_consent_is_audited_with_the_sheet_and_without_the_form_or_any_name(
    cast, harmed, sheet
):
    entry = give(
        cast.coordinator,
        harmed,
        method=ConsentMethod.SIGNED_FORM,
        document=pdf(),
        signature_name="",
    )
    event = AuditEvent.objects.get(action="consent.given", target_id=str(entry.pk))
    assert event.data["participant"] == harmed.pk
    assert event.data["scope"] == "take_part"
    assert event.data["process_type"] == "conference"
    assert event.data["kind"] == "consent"
    assert event.data["method"] == "signed_form"
    assert (event.data["sheet_version"], event.data["sheet_language"]) == (sheet.version, "en")
    stored = str(event.data)
    assert "pdf" not in stored.lower()
    assert "Hana" not in stored


@pytest.mark.gate("G3")
def test_a_signed_form_is_stored_under_a_random_name_not_the_uploaded_one(cast, harmed):
    entry = give(
        cast.coordinator,
        harmed,
        method=ConsentMethod.SIGNED_FORM,
        document=pdf(),
        signature_name="",
    )
    name = entry.document.name or ""
    assert name.startswith("consent/")
    assert name.endswith(".pdf")
    assert "Hana" not in name
    with entry.document.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.gate("G3")
def test_a_png_photo_of_the_signed_form_is_accepted(cast, harmed):
    upload = pdf(name="photo.png", content=PNG)
    entry = give(
        cast.coordinator,
        harmed,
        method=ConsentMethod.SIGNED_FORM,
        document=upload,
        signature_name="",
    )
    assert (entry.document.name or "").endswith(".png")


@pytest.mark.gate("G3")
def test_verbal_consent_names_its_witness(cast, harmed):
    entry = give(
        cast.facilitator,
        harmed,
        method=ConsentMethod.VERBAL_WITNESSED,
        witness="Wendy Witness",
        signature_name="",
    )
    assert entry.witness == "Wendy Witness"
    assert entry.signature_name == ""


@pytest.mark.gate("G3")
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"scope": "everything"}, "Choose what the consent is for."),
        ({"process_type": ""}, "Choose the process the consent is for."),
        ({"process_type": "duel"}, "Choose the process the consent is for."),
        (
            {"scope": ConsentScope.SHARE_INFORMATION, "partner": "   "},
            "Name the partner the information may be shared with.",
        ),
        (
            {"scope": ConsentScope.SHARE_INFORMATION, "partner": "x" * 201},
            "The partner's name must be at most 200 characters.",
        ),
        (
            {"scope": ConsentScope.CONTACT, "channel": None},
            "Choose the channel the consent is about.",
        ),
        ({"method": "telepathy"}, "Choose how consent was given."),
        (
            {"method": ConsentMethod.SIGNED_FORM, "document": None},
            "Upload the signed form.",
        ),
        (
            {"method": ConsentMethod.ON_SCREEN, "signature_name": "   "},
            "Ask the person to type their name on the screen to sign.",
        ),
        (
            {"method": ConsentMethod.VERBAL_WITNESSED, "witness": ""},
            "Name the witness who heard the consent being given.",
        ),
        ({"sheet": None}, "Choose the information sheet the person was given."),
        ({"kind": "whim"}, "Choose whose consent this is."),
        (
            {"kind": ConsentKind.ASSENT},
            "Only a participant under 18 gives assent; an adult gives consent.",
        ),
        (
            {"kind": ConsentKind.GUARDIAN},
            "Only a participant under 18 needs a parent's or guardian's consent.",
        ),
    ],
    ids=lambda value: str(value)[:40],
)
def test_incomplete_consent_is_refused_and_changes_nothing(cast, harmed, overrides, reason):
    refused(cast.coordinator, harmed, reason, **overrides)


@pytest.mark.gate("G3")
@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (pdf(name="form.pdf", content=b""), "The uploaded file is empty."),
        (
            pdf(name="form.pdf", content=b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES),
            "The signed form must be at most 10 MB.",
        ),
        (
            pdf(name="form.pdf", content=b"<html><script>alert(1)</script></html>"),
            "The signed form must be a PDF, a JPEG photo or a PNG image.",
        ),
        (
            pdf(name="form.exe", content=b"MZ\x90\x00"),
            "The signed form must be a PDF, a JPEG photo or a PNG image.",
        ),
    ],
    ids=["empty", "too-large", "html-named-pdf", "program"],
)
def test_a_signed_form_that_is_not_a_small_pdf_or_image_is_refused(
    cast, harmed, tmp_path, upload, reason
):
    refused(
        cast.coordinator,
        harmed,
        reason,
        method=ConsentMethod.SIGNED_FORM,
        document=upload,
        signature_name="",
    )
    assert not any((tmp_path / "uploads").rglob("*.*"))


@pytest.mark.gate("G3")
def test_the_recorder_cannot_be_the_witness_of_verbal_consent(cast, harmed):
    for witness in (cast.facilitator.full_name, cast.facilitator.email.upper()):
        refused(
            cast.facilitator,
            harmed,
            "The witness must be someone other than you, who records it.",
            method=ConsentMethod.VERBAL_WITNESSED,
            witness=witness,
        )


@pytest.mark.gate("G3")
def test_consent_to_a_process_the_programme_does_not_offer_is_refused(cast, harmed):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(process_types=["letters"])
    refused(
        cast.coordinator,
        harmed,
        "The programme does not offer the Conference.",
        process_type=ProcessType.CONFERENCE,
    )


@pytest.mark.gate("G10")
@pytest.mark.gate("G3")
def test_consent_to_contact_on_an_unsafe_channel_is_refused(cast, harmed):
    unsafe = contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900999", is_safe=False
    )
    refused(
        cast.coordinator,
        harmed,
        "This channel is marked unsafe: it must never be used to contact the person, so "
        "consent to it cannot be recorded.",
        scope=ConsentScope.CONTACT,
        channel=unsafe,
    )


@pytest.mark.gate("G3")
def test_consent_to_contact_on_someone_elses_channel_is_refused(cast, harmed, responsible):
    theirs = responsible.person.channels.get()
    refused(
        cast.coordinator,
        harmed,
        "That channel belongs to someone else.",
        scope=ConsentScope.CONTACT,
        channel=theirs,
    )


@pytest.mark.gate("G3")
def test_consent_to_contact_on_their_own_safe_channel_keeps_only_the_channel(cast, harmed):
    channel = harmed.person.channels.get()
    entry = give(
        cast.coordinator,
        harmed,
        scope=ConsentScope.CONTACT,
        channel=channel,
        process_type="conference",
        partner="ignored",
    )
    assert (entry.channel, entry.process_type, entry.partner) == (channel, "", "")


@pytest.mark.gate("G3")
def test_consent_to_share_and_to_data_processing_are_recorded(cast, harmed):
    shared = give(
        cast.coordinator,
        harmed,
        scope=ConsentScope.SHARE_INFORMATION,
        partner="  Victim   Support ",
    )
    data = give(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING)
    assert (shared.partner, shared.process_type) == ("Victim Support", "")
    assert (data.scope, data.process_type, data.partner, data.channel) == ("data", "", "", None)


@pytest.mark.gate("G3")
def test_consent_on_a_replaced_information_sheet_is_refused(cast, harmed, sheet):
    information_sheet_publish(
        actor=None, programme=cast.programme, language="en", title="New sheet", body="New text"
    )
    error = refused(
        cast.coordinator,
        harmed,
        "The information sheet has changed: consent must be given on “New sheet”, version 2 "
        "(en), not on version 1. Give the person the current sheet and ask again.",
        sheet=sheet,
    )
    assert error.message == "The consent was not recorded."


@pytest.mark.gate("G3")
def test_consent_must_be_on_the_sheet_in_the_persons_own_language(cast):
    welsh = information_sheet_publish(
        actor=None, programme=cast.programme, language="cy", title="Taflen", body="Testun"
    )
    speaker = participant_add(
        actor=None,
        case=cast.case,
        person=make_person("Siân", "Supporter", language="cy", phone=None),
        role=ParticipantRole.SUPPORTER,
    )
    refused(
        cast.coordinator,
        speaker,
        "Consent must be given on the information sheet in the person's language: “Taflen”, "
        "version 1 (cy).",
    )
    assert give(cast.coordinator, speaker, sheet=welsh).sheet == welsh


@pytest.mark.gate("G3")
def test_without_a_sheet_in_their_language_the_programmes_default_language_counts(cast, sheet):
    speaker = participant_add(
        actor=None,
        case=cast.case,
        person=make_person("Frédéric", "Supporter", language="fr", phone=None),
        role=ParticipantRole.SUPPORTER,
    )
    assert give(cast.coordinator, speaker, sheet=sheet).sheet == sheet


@pytest.mark.gate("G3")
def test_a_sheet_of_another_programme_is_refused(cast, harmed):
    elsewhere = current_information_sheet(cast.other_programme, "en")
    refused(
        cast.coordinator,
        harmed,
        "That information sheet belongs to another programme.",
        sheet=elsewhere,
    )


@pytest.mark.gate("G3")
def test_every_problem_is_listed_at_once(cast, harmed):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        give(cast.coordinator, harmed, process_type="", signature_name="", sheet=None)
    assert len(refusal.value.reasons) == 3
    assert domain_snapshot() == before


@pytest.mark.gate("G3")
def test_consent_cannot_be_recorded_on_a_closed_case(cast, case, harmed):
    case_close(actor=cast.coordinator, case=case, reason="not_suitable")
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        give(cast.coordinator, harmed)
    assert refusal.value.message == "The case is closed; consent cannot be recorded on it."
    assert domain_snapshot() == before


@pytest.mark.gate("G3")
def test_consent_may_be_given_while_the_case_is_paused(cast, case, harmed):
    case_pause(actor=cast.coordinator, case=case, reason="unavailable")
    assert give(cast.coordinator, harmed).is_given


@pytest.mark.gate("G3")
@pytest.mark.parametrize(
    "who", ["advocate", "referrer", "evaluator", "administrator", "other_supervisor"]
)
def test_only_people_working_on_the_case_record_consent(cast, harmed, who):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        give(cast.users[who], harmed)
    assert domain_snapshot() == before


@pytest.mark.gate("G3")
def test_giving_consent_never_updates_or_deletes_a_ledger_entry(cast, harmed):
    first = give(cast.coordinator, harmed)
    with capture() as queries:
        give(cast.coordinator, harmed)
        give(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING)
    assert ledger_writes(queries) == []
    first_again = ConsentEntry.objects.get(pk=first.pk)
    assert (first_again.valid_until, first_again.is_given) == (first.valid_until, True)


# --- minors: a guardian's consent and the young person's own assent ------------------------


@pytest.mark.gate("G3")
def test_a_minor_cannot_give_adult_consent(cast):
    _case, minor, _guardian = minor_case(cast.programme, cast.coordinator)
    refused(
        cast.coordinator,
        minor,
        "The participant is under 18: record a parent's or guardian's consent and the young "
        "person's own assent instead.",
    )


@pytest.mark.gate("G3")
def test_a_guardians_consent_names_a_guardian_of_this_minor(cast):
    case, minor, guardian = minor_case(cast.programme, cast.coordinator)
    responsible = case.participants.get(role=ParticipantRole.RESPONSIBLE)
    refused(
        cast.coordinator,
        minor,
        "Choose the parent or guardian who gave consent.",
        kind=ConsentKind.GUARDIAN,
    )
    refused(
        cast.coordinator,
        minor,
        "The person chosen is not recorded as this participant's parent or guardian.",
        kind=ConsentKind.GUARDIAN,
        given_by=responsible,
    )
    refused(
        cast.coordinator,
        minor,
        "Only a parent's or guardian's consent names who gave it.",
        kind=ConsentKind.ASSENT,
        given_by=guardian,
    )


@pytest.mark.gate("G3")
def test_a_minor_needs_both_a_guardians_consent_and_their_own_assent(cast):
    # given a minor who was informed, with the process chosen
    case, minor, guardian = minor_case(cast.programme, cast.coordinator)
    case_update_plan(
        actor=cast.coordinator,
        case=case,
        next_action="Prepare",
        next_action_due=timezone.localdate() + datetime.timedelta(days=5),
        process_type="conference",
    )
    information_give(
        actor=cast.coordinator,
        participant=minor,
        sheet=InformationSheet.objects.get(programme=cast.programme, language="en"),
        method="in_person",
        given_on=timezone.localdate(),
        legal_advice_offered=True,
        interpreter_offered=False,
    )

    def minor_reasons():
        case.refresh_from_db()
        label = next(p.label for p in case_facts(case).participants if p.pk == minor.pk)
        return [reason for reason in g3_informed_consent(case_facts(case)) if label in reason]

    # when only the guardian consents
    entry = give(cast.coordinator, minor, kind=ConsentKind.GUARDIAN, given_by=guardian)
    # then the gate still asks for the young person's assent
    assert entry.given_by == guardian
    assert any("own assent" in reason for reason in minor_reasons())
    # when the young person assents too
    give(cast.coordinator, minor, kind=ConsentKind.ASSENT)
    # then G3 is met for them
    assert minor_reasons() == []
