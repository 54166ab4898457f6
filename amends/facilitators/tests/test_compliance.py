"""Compliance figures against values worked out by hand for a fixed roster on a fixed day,
and the pure rules behind them (cover with renewals, the calendar year, alert offsets)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from amends.cases.tests.builders import build_case, drive_to_ready, move
from amends.facilitators import compliance
from amends.facilitators.compliance import (
    Lapse,
    LapseKind,
    Records,
    Rules,
    alert_offset,
    compliance_on,
    lapses,
)
from amends.facilitators.selectors import roster_for_programme
from amends.programmes.models import ProgrammeSettings

DAY = datetime.date(2026, 6, 15)
D = datetime.date


@pytest.fixture
def fixed_roster(cast, roster):
    """Four facilitators next to the cast's own, each record dated around 15 June 2026.

    By hand, on 15 June 2026 under the default rules (84 days; 6 / 12 / 16 hours):

    - cast facilitator: advanced to 2099; never supervised (overdue); 0 of 16 CPD hours;
      not observed; no process.
    - Ada: intermediate to 1 Jul 2026 (16 days left); supervised 1 Apr, due 24 Jun;
      5 + 4.5 = 9.5 of 12 hours (10 h not CPD, 8 h last year, 3 h tomorrow don't count);
      observed 10 Mar; process 1 Jul 2025 (349 days ago: current).
    - Ben: foundation to 2027; supervised 1 Mar, due 24 May (overdue); 6 of 6 hours;
      observed only in Nov 2025 (last year); process 14 Jun 2025 (366 days: not current).
    - Cara: advanced ran out 1 Jun 2026; supervised 1 Jun, due 24 Aug; 16 hours, none
      required without a level; observed 5 Jan; process 1 May 2026.
    - Dev: intermediate to 30 Jun 2026 renewed from 1 Jul to 30 Jun 2028 (746 days of
      cover); supervised, observed and a process on 15 Jun; 12 of 12 hours.
    """
    ada = roster.facilitator("Ada")
    roster.accreditation(ada, D(2024, 1, 1), D(2026, 7, 1))
    roster.supervision(ada, D(2026, 4, 1))
    roster.supervision(ada, D(2026, 1, 2))
    roster.training(ada, D(2026, 2, 1), "5")
    roster.training(ada, D(2026, 5, 1), "4.5")
    roster.training(ada, D(2026, 3, 1), "10", counts_as_cpd=False)
    roster.training(ada, D(2025, 12, 20), "8")
    roster.training(ada, D(2026, 6, 16), "3")  # tomorrow: not done yet on DAY
    roster.observed(ada, D(2026, 3, 10))
    roster.process(ada, D(2025, 7, 1))

    ben = roster.facilitator("Ben")
    roster.accreditation(ben, D(2025, 1, 1), D(2027, 12, 31), "foundation")
    roster.supervision(ben, D(2026, 3, 1))
    roster.training(ben, D(2026, 1, 10), "6")
    roster.observed(ben, D(2025, 11, 1))
    roster.process(ben, D(2025, 6, 14))

    cara = roster.facilitator("Cara")
    roster.accreditation(cara, D(2020, 1, 1), D(2026, 6, 1), "advanced")
    roster.supervision(cara, D(2026, 6, 1))
    roster.training(cara, D(2026, 2, 2), "16")
    roster.observed(cara, D(2026, 1, 5))
    roster.process(cara, D(2026, 5, 1))

    dev = roster.facilitator("Dev")
    roster.accreditation(dev, D(2026, 1, 1), D(2026, 6, 30))
    roster.accreditation(dev, D(2026, 7, 1), D(2028, 6, 30))
    roster.supervision(dev, DAY)
    roster.training(dev, D(2026, 1, 1), "12")
    roster.observed(dev, DAY)
    roster.process(dev, DAY)
    return SimpleNamespace(facilitator=cast.facilitator, ada=ada, ben=ben, cara=cara, dev=dev)


def _figures(cast, day=DAY):
    found = roster_for_programme(cast.programme, day=day)
    return found, {row.facilitator.full_name: row.figures for row in found.rows}


def test_each_facilitators_figures_match_the_hand_computed_values(cast, fixed_roster):
    # when
    _roster, figures = _figures(cast)
    # then
    assert sorted(figures) == ["Ada", "Ben", "Cara", "Dev", "Facilitator"]
    table = {
        name: (
            one.level,
            one.accreditation_valid_to,
            one.days_left,
            one.lapsed_on,
            one.last_supervision,
            one.supervision_due,
            one.supervision_overdue,
            one.cpd_hours,
            one.cpd_required,
            one.cpd_short,
            one.last_observed,
            one.last_process,
            one.current,
        )
        for name, one in figures.items()
    }
    assert table == {
        "Facilitator": (
            "advanced", D(2099, 12, 31), 26862, None,
            None, None, True,
            Decimal(0), Decimal(16), True,
            None, None, False,
        ),
        "Ada": (
            "intermediate", D(2026, 7, 1), 16, None,
            D(2026, 4, 1), D(2026, 6, 24), False,
            Decimal("9.5"), Decimal(12), True,
            D(2026, 3, 10), D(2025, 7, 1), True,
        ),
        "Ben": (
            "foundation", D(2027, 12, 31), 564, None,
            D(2026, 3, 1), D(2026, 5, 24), True,
            Decimal(6), Decimal(6), False,
            None, D(2025, 6, 14), False,
        ),
        "Cara": (
            None, None, None, D(2026, 6, 1),
            D(2026, 6, 1), D(2026, 8, 24), False,
            Decimal(16), None, False,
            D(2026, 1, 5), D(2026, 5, 1), True,
        ),
        "Dev": (
            "intermediate", D(2026, 6, 30), 746, None,
            DAY, D(2026, 9, 7), False,
            Decimal(12), Decimal(12), False,
            DAY, DAY, True,
        ),
    }  # fmt: skip


def test_the_programme_summary_matches_the_hand_computed_counts(cast, fixed_roster):
    found, _figures_by_name = _figures(cast)
    assert found.summary == compliance.ProgrammeSummary(
        facilitators=5,
        accredited=4,
        not_accredited=1,
        lapsing_soon=1,
        supervision_overdue=2,
        cpd_short=2,
        not_observed=2,
        not_current=2,
        compliant=1,
    )


def test_the_warnings_say_what_is_missing(cast, fixed_roster):
    _roster, figures = _figures(cast)
    assert figures["Facilitator"].warnings() == [
        "No supervision is recorded.",
        "0 of 16 CPD hours done this year.",
        "No observed practice this year.",
        "No process in the last 12 months.",
    ]
    assert figures["Ada"].warnings() == ["9.5 of 12 CPD hours done this year."]
    assert figures["Ben"].warnings() == [
        "Supervision is overdue: the last session was on 2026-03-01.",
        "No observed practice this year.",
        "No process in the last 12 months.",
    ]
    assert figures["Dev"].warnings() == []
    assert figures["Dev"].compliant


def test_the_programme_settings_change_the_figures(cast, fixed_roster):
    # given: a programme that asks 9 hours at intermediate level and supervision every 60 days
    ProgrammeSettings.objects.filter(programme=cast.programme).update(
        cpd_hours_intermediate=9, supervision_interval_days=60
    )
    # when
    _roster, figures = _figures(cast)
    # then: Ada's 9.5 hours are enough now, but her supervision (1 April) was due 31 May
    ada = figures["Ada"]
    assert (ada.cpd_required, ada.cpd_short) == (Decimal(9), False)
    assert (ada.supervision_due, ada.supervision_overdue) == (D(2026, 5, 31), True)


def test_cpd_and_observed_practice_start_again_on_the_first_of_january(cast, fixed_roster):
    # Ben did 6 hours on 10 January 2026: none of them count on 5 January 2027.
    _roster, figures = _figures(cast, day=D(2027, 1, 5))
    assert figures["Ben"].cpd_hours == Decimal(0)
    assert figures["Dev"].last_observed is None


def test_the_summary_counts_only_active_facilitators_of_the_programme(cast, roster, fixed_roster):
    roster.facilitator("Elsewhere", programme=cast.other_programme)
    fixed_roster.ben.is_active = False
    fixed_roster.ben.save(update_fields=["is_active"])
    found, figures = _figures(cast)
    assert sorted(figures) == ["Ada", "Cara", "Dev", "Facilitator"]
    assert found.summary.facilitators == 4


# --- the pure rules ----------------------------------------------------------------------


def _accreditation(start, end, level="intermediate"):
    return SimpleNamespace(level=level, valid_from=start, valid_to=end)


def test_cover_follows_a_renewal_that_starts_the_day_after():
    records = Records(
        accreditations=[
            _accreditation(D(2024, 1, 1), D(2026, 6, 30)),
            _accreditation(D(2026, 7, 1), D(2028, 6, 30)),
        ]
    )
    figures = compliance_on(records, Rules(), DAY)
    assert figures.covered_until == D(2028, 6, 30)
    assert not figures.lapsing_soon


def test_cover_breaks_at_a_gap_of_a_day():
    records = Records(
        accreditations=[
            _accreditation(D(2024, 1, 1), D(2026, 6, 30)),
            _accreditation(D(2026, 7, 2), D(2028, 6, 30)),
        ]
    )
    figures = compliance_on(records, Rules(), DAY)
    assert figures.covered_until == D(2026, 6, 30)
    assert figures.days_left == 15
    assert figures.lapsing_soon


def test_the_highest_valid_level_counts():
    records = Records(
        accreditations=[
            _accreditation(D(2024, 1, 1), D(2027, 1, 1), "foundation"),
            _accreditation(D(2025, 1, 1), D(2026, 12, 1), "advanced"),
        ]
    )
    figures = compliance_on(records, Rules(), DAY)
    assert (figures.level, figures.cpd_required) == ("advanced", Decimal(16))


def test_an_accreditation_that_starts_tomorrow_does_not_count_today():
    records = Records(accreditations=[_accreditation(D(2026, 6, 16), D(2028, 1, 1))])
    figures = compliance_on(records, Rules(), DAY)
    assert not figures.accredited
    assert figures.lapsed_on is None


def test_an_endorsement_without_an_end_never_lapses_but_one_with_an_end_does():
    endorsements = [
        SimpleNamespace(endorsement="youth", valid_from=D(2020, 1, 1), valid_to=None),
        SimpleNamespace(
            endorsement="sexual_harm", valid_from=D(2020, 1, 1), valid_to=D(2026, 7, 1)
        ),
    ]
    figures = compliance_on(Records(endorsements=endorsements), Rules(), DAY)
    assert figures.endorsements == {"youth", "sexual_harm"}
    assert figures.endorsement_ends == {"sexual_harm": D(2026, 7, 1)}


def test_lapses_list_each_kind_with_its_date():
    records = Records(
        accreditations=[_accreditation(D(2024, 1, 1), D(2026, 7, 1))],
        endorsements=[
            SimpleNamespace(endorsement="youth", valid_from=D(2020, 1, 1), valid_to=D(2026, 8, 1))
        ],
        supervision_dates=[D(2026, 5, 1)],
    )
    figures = compliance_on(records, Rules(), DAY)
    assert lapses(figures) == [
        Lapse(LapseKind.ACCREDITATION, D(2026, 7, 1)),
        Lapse(LapseKind.SUPERVISION, D(2026, 7, 24)),
        Lapse(LapseKind.ENDORSEMENT, D(2026, 8, 1), "youth"),
        Lapse(LapseKind.CPD, D(2026, 12, 31)),
        Lapse(LapseKind.OBSERVED, D(2026, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("days_left", "offset"),
    [
        (31, None),
        (30, 30),
        (15, 30),
        (14, 14),
        (1, 14),
        (0, 0),
        (-30, 0),
        (-31, None),
    ],
)
def test_the_alert_due_is_the_nearest_offset_reached(days_left, offset):
    assert alert_offset(DAY + datetime.timedelta(days=days_left), DAY) == offset


def test_a_case_started_through_the_workflow_makes_its_facilitator_current(cast):
    # given: the cast facilitator has never run a process
    today = timezone.localdate()
    assert not _figures(cast, day=today)[1]["Facilitator"].current
    case = drive_to_ready(
        build_case(cast.programme, coordinator=cast.coordinator),
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    # when
    move(case, "process", cast.coordinator)
    # then
    figures = _figures(cast, day=today)[1]["Facilitator"]
    assert (figures.last_process, figures.current) == (today, True)
