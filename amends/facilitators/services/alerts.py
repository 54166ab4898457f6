"""The daily compliance sweep: tasks and e-mails 30, 14 and 0 days before a facilitator's
standing lapses (accreditation, an endorsement, supervision, CPD hours, observed practice).

Each alert is a task for the coordinators of every programme the facilitator works in
(no assignee: "work nobody owns yet" in their My work) and one e-mail to the facilitator.
Task keys name the facilitator, the lapse, its date, the offset and the programme, so a
sweep that runs twice, or every day, makes each alert once; the facilitator's e-mail goes
only with the first task of an alert. When the lapse goes away (a renewal, a supervision
session, the hours done) or a nearer alert replaces it, the sweep completes the open
task it made, so nobody chases work that has gone away.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from amends.accounts.models import User
from amends.facilitators import compliance, selectors
from amends.facilitators.compliance import Lapse
from amends.facilitators.jobs import send_compliance_alert
from amends.programmes.models import Programme
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import task_create, tasks_complete_by_key

ALERT_KEY_PREFIX = "facilitator:"
TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class Alert:
    facilitator_id: int
    programme_id: int
    lapse: Lapse
    offset: int

    @property
    def lapse_id(self) -> str:
        """The lapse, whichever alert: facilitator, programme, what and when."""
        return _lapse_id(self.facilitator_id, self.programme_id, self.lapse)

    @property
    def identity(self) -> str:
        """The alert, in whichever programme (one e-mail per identity)."""
        return (
            f"{ALERT_KEY_PREFIX}{self.facilitator_id}:{self.lapse.name}:"
            f"{self.lapse.on.isoformat()}:{self.offset}"
        )

    @property
    def key(self) -> str:
        return f"{self.identity}:p{self.programme_id}"


def _lapse_id(facilitator_id: int, programme_id: int, lapse: Lapse) -> str:
    return f"{facilitator_id}:{programme_id}:{lapse.name}:{lapse.on.isoformat()}"


def _parse_key(key: str) -> tuple[str, int] | None:
    """(lapse id, offset) of a key this sweep made, or None for any other key."""
    parts = key.removeprefix(ALERT_KEY_PREFIX).split(":")
    if len(parts) != 5 or not parts[4].startswith("p"):
        return None
    facilitator_id, name, on, offset, programme = parts
    try:
        return f"{facilitator_id}:{programme[1:]}:{name}:{on}", int(offset)
    except ValueError:
        return None


@dataclass
class AlertReport:
    created: list[Task] = field(default_factory=list)
    no_longer_needed: int = 0
    # Facilitator ids an e-mail was queued for.
    emailed: list[int] = field(default_factory=list)


def compliance_alerts_sync(*, today: datetime.date) -> AlertReport:
    """Make the compliance alerts due on `today` and close those no longer needed.

    Every active facilitator of every active programme is looked at under that
    programme's rules. Idempotent; safe to run again for a missed day with its date.
    """
    memberships = selectors.facilitator_programmes()
    records = selectors.facilitator_records(memberships, day=today)
    programme_ids = {pid for pids in memberships.values() for pid in pids}
    rules = selectors.programme_rules(programme_ids)
    wanted: list[Alert] = []
    standing: set[str] = set()
    for facilitator_id, pids in memberships.items():
        for programme_id in sorted(pids):
            figures = compliance.compliance_on(records[facilitator_id], rules[programme_id], today)
            for lapse in compliance.lapses(figures):
                standing.add(_lapse_id(facilitator_id, programme_id, lapse))
                offset = compliance.alert_offset(lapse.on, today)
                if offset is not None:
                    wanted.append(Alert(facilitator_id, programme_id, lapse, offset))
    report = AlertReport()
    _create(wanted, today=today, report=report)
    nearest = {alert.lapse_id: alert.offset for alert in wanted}
    for key in selectors.open_alert_task_keys(ALERT_KEY_PREFIX):
        parsed = _parse_key(key)
        if parsed is None:
            continue
        lapse_id, offset = parsed
        # Gone (renewed, supervised, done) or replaced by a nearer alert of the same lapse.
        if lapse_id not in standing or nearest.get(lapse_id, offset) < offset:
            report.no_longer_needed += tasks_complete_by_key(actor=None, key=key)
    return report


def _create(wanted: list[Alert], *, today: datetime.date, report: AlertReport) -> None:
    made = selectors.task_keys_ever_made(alert.key for alert in wanted)
    announced = {key.rsplit(":", 1)[0] for key in made}
    new = [alert for alert in wanted if alert.key not in made]
    if not new:
        return
    users = User.objects.in_bulk({alert.facilitator_id for alert in new})
    programmes = Programme.objects.in_bulk({alert.programme_id for alert in new})
    notices: dict[int, list[dict[str, Any]]] = defaultdict(list)
    with transaction.atomic():
        for alert in new:
            user = users[alert.facilitator_id]
            title = compliance.lapse_title(
                alert.lapse, name=user.full_name or user.email, day=today
            )
            report.created.append(
                task_create(
                    actor=None,
                    programme=programmes[alert.programme_id],
                    title=title[:TITLE_MAX_LENGTH],
                    due_on=alert.lapse.on,
                    kind=TaskKind.FACILITATOR_COMPLIANCE,
                    key=alert.key,
                )
            )
            if alert.identity not in announced:
                announced.add(alert.identity)
                notices[alert.facilitator_id].append(
                    {
                        "kind": alert.lapse.kind,
                        "detail": alert.lapse.detail,
                        "on": alert.lapse.on.isoformat(),
                    }
                )
        for facilitator_id, items in sorted(notices.items()):
            report.emailed.append(facilitator_id)
            transaction.on_commit(functools.partial(_send, facilitator_id, items, today))


def _send(facilitator_id: int, items: list[dict[str, Any]], today: datetime.date) -> None:
    send_compliance_alert.enqueue(user_id=facilitator_id, items=items, today=today.isoformat())
