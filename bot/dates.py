"""Dates and times typed by people, in English and Chinese, read in the person's own time zone.

`bot.day_phrases` reads a phrase by a strict grammar; this module decides what to do with what it
read, the same way for every command. A phrase that is unreadable, names a day that has passed, or
could mean more than one day is a question back (a UserError), never a guess. So is a month and day
typed without a year whose date this year has passed ("Dec 5" on 8 December, "12月5日"): it is not
moved to next year silently, the person is asked to type the year (and a day of the month alone,
"the 5th", to type the month). A day more than MAX_YEARS_AHEAD away is refused: nobody plans that
far, and "9999-12-31" is a typo or a test.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import day_phrases
from bot.day_arithmetic import add_months
from bot.day_phrases import MONTH, YEAR
from bot.errors import UserError
from bot.i18n import Messages
from bot.numbers import ascii_digits

MAX_YEARS_AHEAD = 5


def parse_day(text: str, *, now: datetime) -> date:
    """The day `text` names, as seen at `now` (aware, in the person's time zone).

    Raises:
        UserError: "date.unreadable", "date.no_such_day", "date.which_day", "date.past", "date.ambiguous",
            "date.year_needed", "date.month_needed" or "date.too_far", with the days in question
            (dates, which the refusal shows in the person's language).
    """
    shown = " ".join(text.split())
    today = now.date()
    reading = day_phrases.read(normalise(text), today)
    if reading is not None and reading.whole:
        raise UserError("date.which_day", text=shown)
    if reading is not None and reading.no_such is not None:
        raise UserError("date.no_such_day", text=shown, last=reading.no_such)
    if reading is None or not reading.days:
        raise UserError("date.unreadable", text=shown)
    future = [day for day in reading.days if day >= today]
    passed = [day for day in reading.days if day < today]
    if reading.repeats and passed:
        following = [_following(day, reading.repeats) for day in passed]
        if not future and len(following) == 1:
            day = following[0]
            raise UserError(f"date.{reading.repeats}_needed", text=shown, day=day, typed=day.isoformat())
        future = sorted({*future, *following})
    if not future:
        raise UserError("date.past", text=shown, day=reading.days[0])
    if len(future) > 1:
        first, second = future[:2]
        raise UserError("date.ambiguous", text=shown, first=first, second=second, typed=first.isoformat())
    limit = add_months(today, 12 * MAX_YEARS_AHEAD)
    if future[0] > limit:
        raise UserError("date.too_far", text=shown, day=future[0], limit=limit)
    return future[0]


def normalise(text: str) -> str:
    """A phrase as the grammar reads it: lower case, ASCII digits, single spaces, no full stop, no
    leading "on" ("on friday")."""
    return " ".join(ascii_digits(text).lower().split()).rstrip(".,!。！，").removeprefix("on ")


def _following(day: date, repeats: str) -> date:
    """The next day with the same month and day (YEAR) or the same day of the month (MONTH): 29
    February waits for a leap year, the 31st for a long month."""
    step = 12 if repeats == YEAR else 1
    assert repeats in (YEAR, MONTH)
    months = step
    while add_months(day, months).day != day.day:
        months += step
    return add_months(day, months)


def format_day(t: Messages, day: date) -> str:
    """A day as people read it in `t`'s language: "Fri 5 Dec 2026", "2026年12月5日（周五）"."""
    return t.day(day)


_DURATION = re.compile(r"\s+([0-9]{1,4})\s*(m|min|mins|minutes|h|hr|hrs|hours|分钟|小时)$")
_TIMES = (
    (re.compile(r"(?:^|\s)([0-9]{1,2}):([0-9]{2})$"), None),
    (re.compile(r"(?:^|\s)([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm)$", re.IGNORECASE), "ampm"),
    (re.compile(r"\s*(上午|下午|晚上)?([0-9]{1,2})[点點](半|([0-9]{1,2})分?)?$"), "zh"),
)


def split_duration(text: str) -> tuple[str, int | None]:
    """ "2026-12-10 15:00 60m" → ("2026-12-10 15:00", 60); no duration → (text, None)."""
    text = ascii_digits(text)
    if match := _DURATION.search(text):
        amount, unit = int(match[1]), match[2]
        return text[: match.start()].strip(), amount * 60 if unit in (
            "h",
            "hr",
            "hrs",
            "hours",
            "小时",
        ) else amount
    return text.strip(), None


def split_time(text: str) -> tuple[str, tuple[int, int] | None]:
    """ "friday 3pm" → ("friday", (15, 0)); "12月10日 下午3点半" → ("12月10日", (15, 30))."""
    phrase = ascii_digits(text).strip()
    for pattern, kind in _TIMES:
        if match := pattern.search(phrase):
            hour, minute = _clock_time(match, kind)
            if hour > 23 or minute > 59:
                return phrase, None
            return phrase[: match.start()].strip(), (hour, minute)
    return phrase, None


def _clock_time(match: re.Match[str], kind: str | None) -> tuple[int, int]:
    if kind == "zh":
        hour = int(match[2])
        minute = 30 if match[3] == "半" else int(match[4] or 0)
        return (hour + 12 if match[1] in ("下午", "晚上") and hour < 12 else hour), minute
    hour, minute = int(match[1]), int(match[2] or 0)
    if kind == "ampm":
        hour = hour % 12 + (12 if match[3].lower() == "pm" else 0)
    return hour, minute


def format_when(t: Messages, moment: datetime, timezone: str | None) -> str:
    """A moment as the person reads it, in their own time zone: "Thu 10 Dec 2026, 15:00 (Europe/London)"."""
    zone = timezone or "UTC"
    local = moment.astimezone(ZoneInfo(zone))
    return t("date.when", day=format_day(t, local.date()), time=local.strftime("%H:%M"), zone=zone)
