"""Working-day arithmetic for the statutory clocks (G13): known dates, and properties
checked against a day-by-day count for any date."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.core.workdays import add_working_days, is_working_day, working_days_between

MONDAY = datetime.date(2026, 3, 2)
FRIDAY = datetime.date(2026, 3, 6)
SATURDAY = datetime.date(2026, 3, 7)
SUNDAY = datetime.date(2026, 3, 8)
NEXT_MONDAY = datetime.date(2026, 3, 9)

dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))
counts = st.integers(min_value=0, max_value=400)


def _add_by_counting(start: datetime.date, days: int) -> datetime.date:
    """The slow, obviously right version: walk forward one calendar day at a time."""
    day = start
    if days == 0:
        while day.weekday() >= 5:
            day += datetime.timedelta(1)
        return day
    while days:
        day += datetime.timedelta(1)
        if day.weekday() < 5:
            days -= 1
    return day


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (MONDAY, 1, datetime.date(2026, 3, 3)),
        (MONDAY, 4, FRIDAY),
        (MONDAY, 5, NEXT_MONDAY),
        (FRIDAY, 1, NEXT_MONDAY),
        (FRIDAY, 5, datetime.date(2026, 3, 13)),
        (datetime.date(2026, 3, 5), 2, NEXT_MONDAY),
        (SATURDAY, 1, NEXT_MONDAY),
        (SUNDAY, 1, NEXT_MONDAY),
        (SUNDAY, 2, datetime.date(2026, 3, 10)),
        (MONDAY, 0, MONDAY),
        (SATURDAY, 0, NEXT_MONDAY),
        (FRIDAY, 10, datetime.date(2026, 3, 20)),
    ],
)
def test_add_working_days_skips_weekends(start, days, expected):
    assert add_working_days(start, days) == expected


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        add_working_days(MONDAY, -1)


def test_weekends_are_not_working_days_and_weekdays_are():
    assert [is_working_day(MONDAY + datetime.timedelta(n)) for n in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_working_days_between_counts_days_after_start_up_to_end():
    assert working_days_between(MONDAY, FRIDAY) == 4
    assert working_days_between(FRIDAY, NEXT_MONDAY) == 1
    assert working_days_between(FRIDAY, SUNDAY) == 0
    assert working_days_between(MONDAY, MONDAY) == 0
    assert working_days_between(NEXT_MONDAY, FRIDAY) == -1


@given(start=dates, days=counts)
def test_the_result_is_always_a_working_day(start, days):
    assert add_working_days(start, days).weekday() < 5


@given(start=dates, days=counts)
def test_adding_matches_counting_day_by_day(start, days):
    assert add_working_days(start, days) == _add_by_counting(start, days)


@given(start=dates, days=st.integers(min_value=1, max_value=400))
def test_the_result_is_after_the_start_and_never_further_than_the_calendar_allows(start, days):
    result = add_working_days(start, days)
    assert result > start
    # n working days never take more than n calendar days plus the weekends among them.
    assert (result - start).days <= days + 2 * (days // 5 + 1)


@given(start=dates, smaller=counts, larger=counts)
def test_more_working_days_never_give_an_earlier_date(start, smaller, larger):
    smaller, larger = sorted((smaller, larger))
    assert add_working_days(start, smaller) <= add_working_days(start, larger)


@given(first=dates, second=dates, days=counts)
def test_a_later_start_never_gives_an_earlier_date(first, second, days):
    first, second = sorted((first, second))
    assert add_working_days(first, days) <= add_working_days(second, days)


@given(start=dates, days=st.integers(min_value=1, max_value=400))
def test_counting_between_undoes_adding(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@given(start=dates, end=dates)
def test_working_days_between_is_antisymmetric(start, end):
    assert working_days_between(start, end) == -working_days_between(end, start)


@given(start=dates, middle=dates, end=dates)
def test_working_days_between_adds_up_over_consecutive_spans(start, middle, end):
    assert working_days_between(start, end) == working_days_between(
        start, middle
    ) + working_days_between(middle, end)
