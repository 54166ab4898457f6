"""The outcome report for the referrer (G12; UN Basic Principles 14 and 16, EU 2012/29
Art. 12(1)(e)).

What a court or the police may receive is limited to participation and completion: that
each party took part, that an agreement was reached, whether it was completed, and the
closure date. The report is built from those facts alone — nothing here reads a note, a
statement, a session record, a letter or a contact detail — and participation is never
evidence of guilt, which the report says in so many words.

"Took part" means what the process records show: the person attended a joint meeting
that was held, was seen in a round of shuttle mediation, or wrote or received an item of
the indirect exchange that was passed on.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amends.agreements.selectors import agreement_status
from amends.cases.models import KEY_ROLES, Case


@dataclass(frozen=True)
class Participation:
    role: str
    # 1, 2, … when the case has more than one person in the role; None otherwise.
    number: int | None
    took_part: bool


@dataclass(frozen=True)
class OutcomeReport:
    programme: str
    case_reference: str
    participation: tuple[Participation, ...]
    agreement_reached: bool
    # True / False / None (still running, or no agreement).
    agreement_completed: bool | None
    closed_on: datetime.date | None
    prepared_on: datetime.date

    def as_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "case_reference": self.case_reference,
            "participation": [
                {"role": line.role, "number": line.number, "took_part": line.took_part}
                for line in self.participation
            ],
            "agreement_reached": self.agreement_reached,
            "agreement_completed": self.agreement_completed,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "prepared_on": self.prepared_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutcomeReport:
        return cls(
            programme=str(data["programme"]),
            case_reference=str(data["case_reference"]),
            participation=tuple(
                Participation(
                    role=str(line["role"]),
                    number=line["number"],
                    took_part=bool(line["took_part"]),
                )
                for line in data["participation"]
            ),
            agreement_reached=bool(data["agreement_reached"]),
            agreement_completed=data["agreement_completed"],
            closed_on=datetime.date.fromisoformat(data["closed_on"]) if data["closed_on"] else None,
            prepared_on=datetime.date.fromisoformat(data["prepared_on"]),
        )


def _took_part_ids(case: Case) -> set[int]:
    # Imported here: those apps build on cases, which this app's selectors serve.
    from amends.exchanges.models import ExchangeItem, ShuttleRound
    from amends.meetings.models import Attendee, MeetingKind, MeetingStatus

    attended = Attendee.objects.filter(
        meeting__case=case,
        meeting__status=MeetingStatus.HELD,
        attended=True,
        participant__isnull=False,
    ).exclude(meeting__kind=MeetingKind.PREPARATION)
    relayed = ExchangeItem.objects.filter(case=case, relayed_on__isnull=False)
    ids = set(attended.values_list("participant_id", flat=True))
    ids.update(ShuttleRound.objects.filter(case=case).values_list("party_id", flat=True))
    for author, recipient in relayed.values_list("author_id", "recipient_id"):
        ids.update((author, recipient))
    return {pk for pk in ids if pk is not None}


def participation(case: Case) -> tuple[Participation, ...]:
    """Whether each key participant took part in the process, by role."""
    people = list(case.participants.filter(role__in=KEY_ROLES).order_by("id"))
    took_part = _took_part_ids(case)
    counts = Counter(person.role for person in people)
    seen: Counter[str] = Counter()
    lines = []
    for person in people:
        seen[person.role] += 1
        lines.append(
            Participation(
                role=person.role,
                number=seen[person.role] if counts[person.role] > 1 else None,
                took_part=person.pk in took_part,
            )
        )
    return tuple(lines)


def outcome_report(case: Case, *, today: datetime.date | None = None) -> OutcomeReport:
    """The report as it stands today."""
    status = agreement_status(case)
    return OutcomeReport(
        programme=case.programme.name,
        case_reference=case.reference,
        participation=participation(case),
        agreement_reached=status.exists and status.reached,
        agreement_completed=status.completed if status.exists else None,
        closed_on=timezone.localdate(case.closed_at) if case.closed_at else None,
        prepared_on=today or timezone.localdate(),
    )


def report_rows(report: OutcomeReport, case: Case) -> list[tuple[str, str]]:
    """The report as labelled answers, in the reader's language and the programme's words."""
    from amends.cases.selectors import role_label

    rows = []
    for line in report.participation:
        label = role_label(line.role, case.programme)
        if line.number is not None:
            label = f"{label} {line.number}"
        rows.append(
            (
                _("The %(party)s took part") % {"party": label},
                _("Yes") if line.took_part else _("No"),
            )
        )
    rows.append((_("An agreement was reached"), _("Yes") if report.agreement_reached else _("No")))
    if not report.agreement_reached:
        completed = _("Not applicable")
    elif report.agreement_completed is None:
        completed = _("In progress")
    else:
        completed = _("Yes") if report.agreement_completed else _("No")
    rows.append((_("The agreement was completed"), completed))
    rows.append(
        (
            _("The case was closed on"),
            date_format(report.closed_on) if report.closed_on else _("Still open"),
        )
    )
    return rows
