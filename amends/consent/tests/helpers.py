"""Short ways to record consent in tests, through the real services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.services import participant_add
from amends.cases.tests.builders import build_case, make_person, participant
from amends.consent.models import ConsentEntry, ConsentMethod, ConsentScope
from amends.consent.services import consent_give
from amends.programmes.models import ProcessType
from amends.programmes.selectors import current_information_sheet

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name: str = "Hana Harmed consent form.pdf", content: bytes = PDF) -> Any:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def give(actor: Any, participant: Participant, **overrides: Any) -> ConsentEntry:
    """Consent to take part in a conference, signed on screen, on the current sheet."""
    values: dict[str, Any] = {
        "scope": ConsentScope.TAKE_PART,
        "process_type": ProcessType.CONFERENCE,
        "sheet": current_information_sheet(participant.case.programme, "en"),
        "method": ConsentMethod.ON_SCREEN,
        "signature_name": "Typed Name",
    }
    values.update(overrides)
    return consent_give(actor=actor, participant=participant, **values)


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=1)


def minor_case(programme: Any, coordinator: Any) -> tuple[Case, Participant, Participant]:
    """A case whose person harmed is 12, with their mother recorded as guardian."""
    case = build_case(
        programme,
        coordinator=coordinator,
        harmed=make_person("Mia", "Minor", date_of_birth=years_ago(12), phone="+44 7700 900777"),
    )
    minor = participant(case, ParticipantRole.HARMED)
    guardian = participant_add(
        actor=None,
        case=case,
        person=make_person("Gail", "Guardian", date_of_birth=years_ago(40), phone=None),
        role=ParticipantRole.GUARDIAN,
        guardian_for=minor,
    )
    return case, minor, guardian


def ledger_writes(queries: CaptureQueriesContext) -> list[str]:
    """UPDATE and DELETE statements on the consent ledger's table."""
    table = ConsentEntry._meta.db_table
    return [
        query["sql"]
        for query in queries.captured_queries
        if table in query["sql"] and query["sql"].lstrip().upper().startswith(("UPDATE", "DELETE"))
    ]


def capture() -> CaptureQueriesContext:
    return CaptureQueriesContext(connection)
