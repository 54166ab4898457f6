"""Short ways to set up follow-up in tests, through the real services."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import connection
from django.utils import timezone

from amends.cases.models import Case, Participant, StageChange
from amends.followups.links import token_hash
from amends.followups.models import CheckIn, SurveyInvitation
from amends.people.services import contact_channel_add

# A complete, valid set of answers to the default survey for people harmed.
HARMED_ANSWERS = {
    "satisfaction": "4",
    "fairness": "5",
    "feeling_heard": "4",
    "safety": "3",
    "apology_received": "yes",
    "apology_sincere": "partly",
    "would_recommend": "yes",
    "comments": "It helped me to say how scared I was.",
}


def add_email(participant: Participant, address: str, *, safe: bool = True) -> Any:
    return contact_channel_add(
        actor=None, person=participant.person, kind="email", value=address, is_safe=safe
    )


def entered_follow_up(case: Case, days_ago: int) -> None:
    """Record that the case entered `follow_up` some days ago (the lead's transition
    writes this row; the tests only need the date)."""
    change = StageChange.objects.create(case=case, from_stage="process", to_stage="follow_up")
    StageChange.objects.filter(pk=change.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def check_ins_of(participant: Participant) -> list[CheckIn]:
    return list(CheckIn.objects.filter(participant=participant).order_by("offset_days"))


def send_survey(actor: Any, participant: Participant) -> tuple[SurveyInvitation, str]:
    """Send the survey through the service, let the e-mail go (after the commit), and read
    the token out of the e-mail, as the participant would."""
    from django.core import mail
    from django.test import TestCase

    from amends.followups.services import survey_send

    with TestCase.captureOnCommitCallbacks(execute=True):
        invitation = survey_send(actor=actor, participant=participant)
    found = re.search(r"/survey/([A-Za-z0-9_-]+)/", str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    token = found.group(1)
    assert invitation.token_hash == token_hash(token)
    return invitation, token


def stored_text(model: Any, pk: int, column: str) -> str:
    """A column as the database holds it (ciphertext for an encrypted field)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])
