"""Calendar arithmetic the day phrases (`bot.day_phrases`) are read with: the coming weekday, a weekday
of a later week, a number of days, weeks or months on, a month's end or start, and a day that exists.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def _coming(today: date, weekday: int) -> date:
    """The next `weekday` after today (a week from today when today is that weekday)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _in_week(today: date, *, weeks: int, weekday: int) -> date:
    """`weekday` of the week `weeks` after this one (weeks start on Monday)."""
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks, days=weekday)


def _later(today: date, count: int, unit: str) -> date:
    if unit == "month":
        return add_months(today, count)
    return today + timedelta(days=count * (7 if unit == "week" else 1))


def add_months(day: date, count: int) -> date:
    """The same day `count` months on, or that month's last day when it is shorter (31 Jan + 1 month
    is 28 or 29 February)."""
    month = day.month - 1 + count
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _edge(today: date, *, start: bool, which: str | None) -> date:
    """The end or the start of this or next month. With no month named, the end is this month's and
    the start the coming one (the 1st of next month, unless today is the 1st)."""
    if not start:
        return _month_end(add_months(today.replace(day=1), 1 if which == "next" else 0))
    if which == "this" or (which is None and today.day == 1):
        return today.replace(day=1)
    return add_months(today.replace(day=1), 1)


def _valid(year: int, month: int, day: int) -> tuple[date, ...]:
    try:
        return (date(year, month, day),)
    except ValueError:
        return ()
