"""Working-day arithmetic for statutory clocks (G13: the Victims' Code counts working days).

A working day is Monday to Friday. Public holidays are NOT counted as non-working days:
Amends has no holiday calendar yet, so a clock that spans a bank holiday falls due one
day earlier than a strict reading of the Code would allow. That errs on the safe side
(work shows up early, never late).

Both functions are constant-time (no day-by-day loops), so a sweep over many cases
stays cheap whatever the distances involved.
"""

from __future__ import annotations

import datetime

_DAYS_PER_WEEK = 7
_WORKING_DAYS_PER_WEEK = 5
_SATURDAY = 5


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday. Public holidays count as working days (see the module docstring)."""
    return day.weekday() < _SATURDAY


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start`.

    Working days are Monday to Friday; public holidays are not counted as non-working
    days (Amends has no holiday calendar), so a deadline that spans one comes a day early.

    The day of `start` itself is never counted: one working day after a Friday, or after
    the Saturday or Sunday that follow it, is the next Monday. With `days == 0` the result
    is `start` when it is a working day and otherwise the next Monday, so the result is
    always a working day. Raises ValueError for a negative `days`.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    weekday = start.weekday()
    if days == 0:
        return (
            start if weekday < _SATURDAY else start + datetime.timedelta(_DAYS_PER_WEEK - weekday)
        )
    if weekday >= _SATURDAY:
        # Counting from a weekend day is counting from the Friday before it.
        start -= datetime.timedelta(weekday - (_SATURDAY - 1))
        weekday = _SATURDAY - 1
    weeks, remainder = divmod(days, _WORKING_DAYS_PER_WEEK)
    offset = weeks * _DAYS_PER_WEEK + remainder
    if weekday + remainder >= _SATURDAY:
        offset += _DAYS_PER_WEEK - _WORKING_DAYS_PER_WEEK  # step over the weekend
    return start + datetime.timedelta(offset)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after `start` up to and including `end`.

    The inverse of `add_working_days`: for any `days >= 1`,
    `working_days_between(start, add_working_days(start, days)) == days`. Negative when
    `end` is before `start`. Public holidays are counted as working days.
    """
    return _working_days_up_to(end) - _working_days_up_to(start)


def _working_days_up_to(day: datetime.date) -> int:
    # Working days from Monday 1 January of year 1 (ordinal 1) up to and including `day`.
    weeks, remainder = divmod(day.toordinal() - 1, _DAYS_PER_WEEK)
    return weeks * _WORKING_DAYS_PER_WEEK + min(remainder + 1, _WORKING_DAYS_PER_WEEK)
