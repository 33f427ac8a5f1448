"""Next check-in times in each person's zone, across both daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.features.checkins.cadence import Cadence, next_run, reminder_time, window_end
from bot.workdays import zone

MONDAY_9 = Cadence(kind="weekly", weekday=0, hour=9, minute=0, anchor=date(2026, 1, 5))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def runs(cadence: Cadence, tz: str, start: datetime, count: int) -> list[datetime]:
    out, after = [], start
    for _ in range(count):
        after = next_run(cadence, tz=zone(tz), after=after)
        out.append(after)
    return out


@pytest.mark.parametrize(
    ("tz", "start", "expected"),
    [
        # Spring forward: 09:00 local moves one hour earlier in UTC (or later, south of the equator).
        ("America/New_York", utc(2026, 3, 1), [utc(2026, 3, 2, 14), utc(2026, 3, 9, 13)]),
        ("Europe/Berlin", utc(2026, 3, 22), [utc(2026, 3, 23, 8), utc(2026, 3, 30, 7)]),
        ("Asia/Shanghai", utc(2026, 3, 22), [utc(2026, 3, 23, 1), utc(2026, 3, 30, 1)]),
        ("Australia/Sydney", utc(2026, 3, 28), [utc(2026, 3, 29, 22), utc(2026, 4, 5, 23)]),
        # Fall back.
        ("America/New_York", utc(2026, 10, 25), [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14)]),
        ("Europe/Berlin", utc(2026, 10, 18), [utc(2026, 10, 19, 7), utc(2026, 10, 26, 8)]),
        ("Asia/Shanghai", utc(2026, 10, 18), [utc(2026, 10, 19, 1), utc(2026, 10, 26, 1)]),
        ("Australia/Sydney", utc(2026, 9, 26), [utc(2026, 9, 27, 23), utc(2026, 10, 4, 22)]),
    ],
)
def test_nine_on_monday_stays_nine_local_across_daylight_saving(tz, start, expected):
    assert runs(MONDAY_9, tz, start, 2) == expected


def test_a_time_the_clocks_skip_comes_an_hour_later_and_a_repeated_one_comes_once():
    sunday = date(2026, 1, 4)
    half_two = Cadence(kind="weekly", weekday=6, hour=2, minute=30, anchor=sunday)
    # New York skips 02:00-03:00 on 14 March 2027: that Sunday's prompt comes at 03:30 EDT.
    assert runs(half_two, "America/New_York", utc(2027, 3, 10), 2) == [
        utc(2027, 3, 14, 7, 30),
        utc(2027, 3, 21, 6, 30),
    ]
    # New York lives 01:00-02:00 twice on 1 November 2026: one prompt, at the first 01:30 (EDT).
    half_one = Cadence(kind="weekly", weekday=6, hour=1, minute=30, anchor=sunday)
    assert runs(half_one, "America/New_York", utc(2026, 10, 28), 2) == [
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 8, 6, 30),
    ]
    # Berlin repeats 02:00-03:00 on 25 October 2026.
    berlin = Cadence(kind="weekly", weekday=6, hour=2, minute=30, anchor=sunday)
    assert runs(berlin, "Europe/Berlin", utc(2026, 10, 21), 2) == [
        utc(2026, 10, 25, 0, 30),
        utc(2026, 11, 1, 1, 30),
    ]


def test_every_two_weeks_keeps_to_the_weeks_of_its_anchor():
    cadence = Cadence(kind="biweekly", weekday=0, hour=9, minute=0, anchor=date(2026, 3, 2))
    assert runs(cadence, "America/New_York", utc(2026, 3, 1), 3) == [
        utc(2026, 3, 2, 14),
        utc(2026, 3, 16, 13),
        utc(2026, 3, 30, 13),
    ]


def test_monthly_is_the_first_such_weekday_of_each_month():
    cadence = Cadence(kind="monthly", weekday=4, hour=16, minute=0, anchor=date(2026, 1, 1))
    assert runs(cadence, "Asia/Shanghai", utc(2026, 11, 24), 2) == [utc(2026, 12, 4, 8), utc(2027, 1, 1, 8)]


def test_the_window_closes_at_the_end_of_the_next_working_day():
    berlin = zone("Europe/Berlin")
    friday_prompt = utc(2026, 11, 27, 15)  # Friday 16:00 in Berlin
    assert window_end(friday_prompt, tz=berlin, holidays=set()) == utc(2026, 11, 30, 17)  # Monday 18:00
    assert window_end(friday_prompt, tz=berlin, holidays={date(2026, 11, 30)}) == utc(2026, 12, 1, 17)


def test_the_reminder_is_mid_morning_of_the_last_day_and_only_with_time_to_spare():
    berlin = zone("Europe/Berlin")
    prompt = utc(2026, 11, 25, 9)  # Wednesday 10:00
    closes = window_end(prompt, tz=berlin, holidays=set())
    assert reminder_time(prompt, closes=closes, tz=berlin) == utc(2026, 11, 26, 9)
    late = utc(2026, 11, 26, 8, 30)  # a prompt at 09:30 on the window's last day leaves no room
    assert reminder_time(late, closes=utc(2026, 11, 26, 17), tz=berlin) is None
