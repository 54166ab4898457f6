"""Matrix rows for the consent pages of a participant.

The advocate supports the person harmed of `cast.case`: they may see that person's
consent and record a withdrawal, never record consent, and the person responsible does
not exist for them.
"""

from __future__ import annotations

from django.urls import reverse

from amends.cases.models import ParticipantRole
from amends.core.testing.matrix import Route

WORKERS = frozenset({"coordinator", "supervisor", "facilitator"})
READERS = WORKERS | {"advocate"}
STRANGERS = frozenset(
    {"referrer", "evaluator", "administrator", "other_supervisor", "no_role", "platform_admin"}
)


def _participant(cast, role: str = ParticipantRole.HARMED):
    return cast.case.participants.get(role=role)


def _url(name: str, role: str = ParticipantRole.HARMED):
    return lambda cast: reverse(
        f"consent:{name}", args=[cast.case.reference, _participant(cast, role).pk]
    )


def _sheet_id(cast) -> int:
    from amends.programmes.models import InformationSheet

    return (
        InformationSheet.objects.filter(programme=cast.programme, language="en")
        .latest("version")
        .pk
    )


def _give_data(cast):
    return {
        "scope": "data",
        "kind": "consent",
        "sheet": _sheet_id(cast),
        "method": "on_screen",
        "signature_name": "Typed Name",
    }


def _given_entry(cast, role: str = ParticipantRole.HARMED):
    """An entry with an uploaded signed form, recorded through the service."""
    from amends.consent.tests.helpers import give, pdf_upload

    participant = _participant(cast, role)
    existing = participant.consent_entries.filter(is_given=True).first()
    if existing is not None:
        return existing
    return give(
        cast.coordinator,
        participant,
        method="signed_form",
        document=pdf_upload(),
        signature_name="",
    )


def _withdraw_data(cast):
    return {"entry": _given_entry(cast).pk, "note": ""}


def _document_url(role: str = ParticipantRole.HARMED):
    return lambda cast: reverse(
        "consent:document",
        args=[cast.case.reference, _participant(cast, role).pk, _given_entry(cast, role).pk],
    )


ROUTES = [
    Route(
        "consent:participant",
        "GET",
        allowed=READERS,
        hidden_from=STRANGERS,
        path=_url("participant"),
    ),
    Route(
        "consent:participant",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS | {"advocate"},
        path=_url("participant", ParticipantRole.RESPONSIBLE),
        label="other party",
    ),
    Route("consent:give", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_url("give")),
    Route(
        "consent:give",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("give"),
        data=_give_data,
    ),
    Route("consent:withdraw", "GET", allowed=READERS, hidden_from=STRANGERS, path=_url("withdraw")),
    Route(
        "consent:withdraw",
        "POST",
        allowed=READERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("withdraw"),
        data=_withdraw_data,
    ),
    Route(
        "consent:withdraw",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS | {"advocate"},
        allowed_status=302,
        path=_url("withdraw", ParticipantRole.RESPONSIBLE),
        data=lambda cast: {"entry": _given_entry(cast, ParticipantRole.RESPONSIBLE).pk},
        label="other party",
    ),
    Route(
        "consent:document",
        "GET",
        allowed=READERS,
        hidden_from=STRANGERS,
        path=_document_url(),
    ),
    Route(
        "consent:document",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS | {"advocate"},
        path=_document_url(ParticipantRole.RESPONSIBLE),
        label="other party",
    ),
]
