"""A facilitator's compliance on a given day, and a programme's, as pure functions.

The standards (UN 18–19, CoE CM/Rec(2018)8, RJC) ask that a facilitator holds a valid
accreditation, is supervised at least every 12 weeks, does the yearly CPD hours their
level asks, is observed in practice once a year and has run at least one process in the
last 12 months. Each figure is computed here from dated records, for any day, with the
programme's own rules (`Rules`, from its settings). G6 (`competence.py`), the roster, the
profile page and the alert sweep all read these figures, so they never disagree.

"This year" always means the calendar year of the day asked about (1 January to that
day): CPD hours and observed practice start again from nothing on 1 January.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

from amends.facilitators.models import AccreditationLevel
from amends.facilitators.standing import accreditation_on, endorsements_on
from amends.programmes.models import Endorsement

# How far ahead a lapse counts as "soon" on the roster, and the days before a lapse on
# which the sweep alerts (0: on the day itself).
LAPSING_SOON_DAYS = 30
ALERT_OFFSETS = (30, 14, 0)
# A sweep that was not run for a while still alerts a lapse up to this many days late;
# older lapses show on the roster but make no task (a first import would otherwise make
# one for every lapse in history).
ALERT_CATCH_UP_DAYS = 30
CURRENCY_DAYS = 365


class _Accreditation(Protocol):
    level: str
    valid_from: datetime.date
    valid_to: datetime.date


class _Endorsement(Protocol):
    endorsement: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class _Training(Protocol):
    completed_on: datetime.date
    hours: Decimal
    counts_as_cpd: bool


@dataclass(frozen=True)
class Rules:
    """A programme's compliance rules (its settings)."""

    supervision_interval_days: int = 84
    cpd_hours: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            AccreditationLevel.FOUNDATION: Decimal(6),
            AccreditationLevel.INTERMEDIATE: Decimal(12),
            AccreditationLevel.ADVANCED: Decimal(16),
        }
    )


def rules_for(settings: Any) -> Rules:
    """The rules of a programme from its `ProgrammeSettings`."""
    return Rules(
        supervision_interval_days=settings.supervision_interval_days,
        cpd_hours={
            AccreditationLevel.FOUNDATION: Decimal(settings.cpd_hours_foundation),
            AccreditationLevel.INTERMEDIATE: Decimal(settings.cpd_hours_intermediate),
            AccreditationLevel.ADVANCED: Decimal(settings.cpd_hours_advanced),
        },
    )


@dataclass(frozen=True)
class Records:
    """What compliance is computed from. Loaders may pass more than is needed (all
    training ever, every supervision date); the functions here pick what counts."""

    accreditations: Sequence[_Accreditation] = ()
    endorsements: Sequence[_Endorsement] = ()
    trainings: Sequence[_Training] = ()
    supervision_dates: Sequence[datetime.date] = ()
    observation_dates: Sequence[datetime.date] = ()
    # Days on which a case the facilitator was assigned to entered the `process` stage.
    process_dates: Sequence[datetime.date] = ()


@dataclass(frozen=True)
class Compliance:
    """One facilitator's figures on `day` under one programme's rules."""

    day: datetime.date
    level: str | None
    # The accreditation that counts on `day` runs to `accreditation_valid_to`; with a
    # renewal already recorded, cover goes on unbroken until `covered_until`.
    accreditation_valid_to: datetime.date | None
    covered_until: datetime.date | None
    # Without a valid accreditation: the last day of the most recent one, if any.
    lapsed_on: datetime.date | None
    endorsements: frozenset[str]
    # Valid endorsements that run out, with the last day of their unbroken cover.
    endorsement_ends: Mapping[str, datetime.date]
    last_supervision: datetime.date | None
    supervision_due: datetime.date | None
    cpd_hours: Decimal
    cpd_required: Decimal | None
    last_observed: datetime.date | None
    last_process: datetime.date | None

    @property
    def accredited(self) -> bool:
        return self.level is not None

    @property
    def days_left(self) -> int | None:
        """Days until unbroken accreditation ends (0: it ends today)."""
        if self.covered_until is None:
            return None
        return (self.covered_until - self.day).days

    @property
    def lapsing_soon(self) -> bool:
        return self.days_left is not None and self.days_left <= LAPSING_SOON_DAYS

    @property
    def supervision_overdue(self) -> bool:
        """No supervision ever, or none since the interval ran out."""
        return self.supervision_due is None or self.day > self.supervision_due

    @property
    def cpd_short(self) -> bool:
        return self.cpd_required is not None and self.cpd_hours < self.cpd_required

    @property
    def cpd_missing(self) -> Decimal:
        if self.cpd_required is None:
            return Decimal(0)
        return max(Decimal(0), self.cpd_required - self.cpd_hours)

    @property
    def observed_this_year(self) -> bool:
        return self.last_observed is not None

    @property
    def current(self) -> bool:
        """At least one process in the last 12 months (365 days up to `day`)."""
        return self.last_process is not None and (
            (self.day - self.last_process).days <= CURRENCY_DAYS
        )

    @property
    def compliant(self) -> bool:
        return self.accredited and not self.warnings()

    def warnings(self) -> list[str]:
        """What G6 warns about without blocking, in plain words."""
        found = []
        if self.last_supervision is None:
            found.append(_("No supervision is recorded."))
        elif self.supervision_overdue:
            found.append(
                _("Supervision is overdue: the last session was on %(date)s.")
                % {"date": self.last_supervision.isoformat()}
            )
        if self.cpd_short:
            found.append(
                _("%(hours)s of %(required)s CPD hours done this year.")
                % {"hours": _hours(self.cpd_hours), "required": _hours(self.cpd_required)}
            )
        if not self.observed_this_year:
            found.append(_("No observed practice this year."))
        if not self.current:
            found.append(_("No process in the last 12 months."))
        return found


def compliance_on(records: Records, rules: Rules, day: datetime.date) -> Compliance:
    """Every figure for one facilitator on `day`."""
    counting = accreditation_on(records.accreditations, day)
    level = counting.level if counting is not None else None
    valid = set(endorsements_on(records.endorsements, day))
    last_supervision = _latest(records.supervision_dates, up_to=day)
    year_start = datetime.date(day.year, 1, 1)
    return Compliance(
        day=day,
        level=level,
        accreditation_valid_to=counting.valid_to if counting is not None else None,
        covered_until=_covered_until(records.accreditations, day),
        lapsed_on=None
        if counting is not None
        else _latest((each.valid_to for each in records.accreditations), up_to=day),
        endorsements=frozenset(valid),
        endorsement_ends={
            code: end
            for code in sorted(valid)
            if (end := _covered_until(_of_kind(records.endorsements, code), day)) is not None
        },
        last_supervision=last_supervision,
        supervision_due=None
        if last_supervision is None
        else last_supervision + datetime.timedelta(days=rules.supervision_interval_days),
        cpd_hours=sum(
            (
                each.hours
                for each in records.trainings
                if each.counts_as_cpd and year_start <= each.completed_on <= day
            ),
            Decimal(0),
        ),
        cpd_required=rules.cpd_hours.get(level) if level is not None else None,
        last_observed=_latest(
            (each for each in records.observation_dates if each >= year_start), up_to=day
        ),
        last_process=_latest(records.process_dates, up_to=day),
    )


def _of_kind(records: Iterable[_Endorsement], code: str) -> list[_Endorsement]:
    return [record for record in records if record.endorsement == code]


def _latest(days: Iterable[datetime.date | None], *, up_to: datetime.date) -> datetime.date | None:
    return max((each for each in days if each is not None and each <= up_to), default=None)


def _covered_until(records: Iterable[Any], day: datetime.date) -> datetime.date | None:
    """The last day of unbroken cover from `day` by records with `valid_from` and
    `valid_to` (empty: never ends), following renewals that start by the day after the
    cover ends. None when nothing covers `day`, or when the cover never ends."""
    spans = [(record.valid_from, record.valid_to) for record in records]
    covering = [stop for start, stop in spans if start <= day and (stop is None or stop >= day)]
    if not covering or None in covering:
        return None
    end: datetime.date = max(stop for stop in covering if stop is not None)
    extended = True
    while extended:
        extended = False
        for start, stop in spans:
            if start <= end + datetime.timedelta(days=1) and (stop is None or stop > end):
                if stop is None:
                    return None
                end, extended = stop, True
    return end


def _hours(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class ProgrammeSummary:
    """How a programme's roster stands on a day: counts of facilitators."""

    facilitators: int
    accredited: int
    not_accredited: int
    lapsing_soon: int
    supervision_overdue: int
    cpd_short: int
    not_observed: int
    not_current: int
    compliant: int


def programme_summary(figures: Iterable[Compliance]) -> ProgrammeSummary:
    """The roster's counts from each facilitator's figures."""
    each = list(figures)
    return ProgrammeSummary(
        facilitators=len(each),
        accredited=sum(1 for one in each if one.accredited),
        not_accredited=sum(1 for one in each if not one.accredited),
        lapsing_soon=sum(1 for one in each if one.accredited and one.lapsing_soon),
        supervision_overdue=sum(1 for one in each if one.supervision_overdue),
        cpd_short=sum(1 for one in each if one.cpd_short),
        not_observed=sum(1 for one in each if not one.observed_this_year),
        not_current=sum(1 for one in each if not one.current),
        compliant=sum(1 for one in each if one.compliant),
    )


# --- lapses and alerts -----------------------------------------------------------------


class LapseKind:
    ACCREDITATION = "accreditation"
    ENDORSEMENT = "endorsement"
    SUPERVISION = "supervision"
    CPD = "cpd"
    OBSERVED = "observed"


@dataclass(frozen=True)
class Lapse:
    """Something in a facilitator's standing that runs out on `on` (its last good day;
    for supervision, the day the next session is due)."""

    kind: str
    on: datetime.date
    # The endorsement's code for an endorsement lapse; else empty.
    detail: str = ""

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.detail}" if self.detail else self.kind


def lapses(figures: Compliance) -> list[Lapse]:
    """Every lapse ahead of (or just behind) a facilitator, by date.

    Accreditation and endorsements lapse at the end of unbroken cover; supervision on its
    due date; CPD hours still short and observed practice still missing on 31 December.
    Without any supervision recorded there is no due date, so no lapse (the roster and G6
    still warn).
    """
    year_end = datetime.date(figures.day.year, 12, 31)
    found: list[Lapse] = []
    if figures.covered_until is not None:
        found.append(Lapse(LapseKind.ACCREDITATION, figures.covered_until))
    elif figures.lapsed_on is not None:
        found.append(Lapse(LapseKind.ACCREDITATION, figures.lapsed_on))
    found.extend(
        Lapse(LapseKind.ENDORSEMENT, end, code) for code, end in figures.endorsement_ends.items()
    )
    if figures.supervision_due is not None:
        found.append(Lapse(LapseKind.SUPERVISION, figures.supervision_due))
    if figures.cpd_short:
        found.append(Lapse(LapseKind.CPD, year_end))
    if not figures.observed_this_year:
        found.append(Lapse(LapseKind.OBSERVED, year_end))
    return sorted(found, key=lambda lapse: (lapse.on, lapse.name))


def alert_offset(lapse_on: datetime.date, day: datetime.date) -> int | None:
    """Which alert is due on `day` for a lapse on `lapse_on`: 30, 14 or 0 (days before),
    or None when it is more than 30 days away or more than `ALERT_CATCH_UP_DAYS` past.

    The nearest offset reached wins, so a sweep that first sees a lapse 10 days ahead
    makes the 14-day alert, not a late 30-day one."""
    days_left = (lapse_on - day).days
    if days_left < -ALERT_CATCH_UP_DAYS:
        return None
    reached = [offset for offset in ALERT_OFFSETS if days_left <= offset]
    return min(reached) if reached else None


def _endorsement_label(code: str) -> str:
    return str(Endorsement(code).label) if code in Endorsement.values else code


def lapse_title(lapse: Lapse, *, name: str, day: datetime.date) -> str:
    """The lapse in words for the coordinators' task."""
    values = {"name": name, "date": lapse.on.isoformat()}
    past = lapse.on < day
    if lapse.kind == LapseKind.ACCREDITATION:
        text = (
            _("The accreditation of %(name)s ran out on %(date)s")
            if past
            else _("The accreditation of %(name)s runs out on %(date)s")
        )
    elif lapse.kind == LapseKind.ENDORSEMENT:
        values["endorsement"] = _endorsement_label(lapse.detail)
        text = (
            _("The %(endorsement)s endorsement of %(name)s ran out on %(date)s")
            if past
            else _("The %(endorsement)s endorsement of %(name)s runs out on %(date)s")
        )
    elif lapse.kind == LapseKind.SUPERVISION:
        text = (
            _("Supervision of %(name)s was due on %(date)s")
            if past
            else _("Supervision of %(name)s is due by %(date)s")
        )
    elif lapse.kind == LapseKind.CPD:
        text = _("%(name)s needs more CPD hours by %(date)s")
    else:
        text = _("%(name)s needs an observed session by %(date)s")
    return text % values


def lapse_notice(lapse: Lapse, *, day: datetime.date) -> str:
    """The lapse in words for the facilitator's own e-mail."""
    values = {"date": lapse.on.isoformat()}
    past = lapse.on < day
    if lapse.kind == LapseKind.ACCREDITATION:
        text = (
            _("Your accreditation ran out on %(date)s.")
            if past
            else _("Your accreditation runs out on %(date)s.")
        )
    elif lapse.kind == LapseKind.ENDORSEMENT:
        values["endorsement"] = _endorsement_label(lapse.detail)
        text = (
            _("Your %(endorsement)s endorsement ran out on %(date)s.")
            if past
            else _("Your %(endorsement)s endorsement runs out on %(date)s.")
        )
    elif lapse.kind == LapseKind.SUPERVISION:
        text = (
            _("Your supervision was due on %(date)s.")
            if past
            else _("Your next supervision is due by %(date)s.")
        )
    elif lapse.kind == LapseKind.CPD:
        text = _("Your CPD hours this year are short of what your level asks: by %(date)s.")
    else:
        text = _("Nobody has observed your practice this year: arrange it by %(date)s.")
    return text % values
