"""Dates typed by people, in English and Chinese, read in the person's own time zone.

dateparser reads most of what people type ("friday", "in 2 weeks", "dec 5", "明天"). A few forms it
misses or guesses are handled first: Chinese month-day and weekdays ("12月5日", "下周五"), "end of month" /
"月底", "next friday" when it could mean this week's or next week's, and numeric dates whose day and
month could be swapped ("05/12"). A date that is unreadable, in the past or ambiguous is a question back
(a UserError), never a guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from bot.errors import UserError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ZH_MONTH_DAY = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?$")
_ZH_WEEKDAY = re.compile(r"^(下|这|本)?(?:周|星期|礼拜)([一二三四五六日天])$")
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NEXT_WEEKDAY = re.compile(r"^next\s+(mon|tue|wed|thu|fri|sat|sun)[a-z]*$")
_EN_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$")
_END_OF_MONTH = {"end of month", "end of the month", "eom", "月底", "月末", "本月底"}


def parse_day(text: str, *, now: datetime) -> date:
    """The day `text` names, as seen at `now` (aware, in the person's time zone).

    Raises:
        UserError: "date.unreadable", "date.past" or "date.ambiguous" (with the candidates).
    """
    phrase = " ".join(text.strip().lower().split())
    today = now.date()
    candidates = _candidates(phrase, today=today, now=now)
    if not candidates:
        raise UserError("date.unreadable", text=text.strip())
    future = [day for day in candidates if day >= today]
    if not future:
        raise UserError("date.past", text=text.strip(), day=candidates[0].isoformat())
    if len(future) > 1:
        raise UserError(
            "date.ambiguous", text=text.strip(), first=future[0].isoformat(), second=future[1].isoformat()
        )
    return future[0]


def _candidates(phrase: str, *, today: date, now: datetime) -> list[date]:
    """Every day the phrase could mean; more than one means it is ambiguous."""
    for rule in (_iso, _zh_month_day, _zh_weekday, _end_of_month, _next_weekday, _numeric):
        days = rule(phrase, today)
        if days is not None:
            return days
    parsed = dateparser.parse(
        phrase,
        languages=["en", "zh"],
        settings={"PREFER_DATES_FROM": "future", "RELATIVE_BASE": now.replace(tzinfo=None)},
    )
    return [parsed.date()] if parsed else []


def _iso(phrase: str, today: date) -> list[date] | None:
    if match := _ISO.match(phrase):
        return _valid(int(match[1]), int(match[2]), int(match[3]))
    return None


def _zh_month_day(phrase: str, today: date) -> list[date] | None:
    if match := _ZH_MONTH_DAY.match(phrase):
        month, day = int(match[2]), int(match[3])
        if match[1]:
            return _valid(int(match[1]), month, day)
        return _this_or_next_year(today, month, day)
    return None


def _zh_weekday(phrase: str, today: date) -> list[date] | None:
    if match := _ZH_WEEKDAY.match(phrase):
        weekday = _ZH_DAYS[match[2]]
        monday = today - timedelta(days=today.weekday())
        if match[1] == "下":  # next week's
            return [monday + timedelta(days=7 + weekday)]
        if match[1]:  # this week's, even if it has passed (then it is in the past)
            return [monday + timedelta(days=weekday)]
        return [_coming(today, weekday)]
    return None


def _end_of_month(phrase: str, today: date) -> list[date] | None:
    if phrase in _END_OF_MONTH:
        return [today.replace(day=calendar.monthrange(today.year, today.month)[1])]
    return None


def _next_weekday(phrase: str, today: date) -> list[date] | None:
    """ "next friday" on a Tuesday may mean this Friday or the one after: both are candidates."""
    if match := _NEXT_WEEKDAY.match(phrase):
        coming = _coming(today, _EN_DAYS[match[1]])
        same_week = coming.isocalendar()[:2] == today.isocalendar()[:2]
        return [coming, coming + timedelta(days=7)] if same_week else [coming]
    return None


def _numeric(phrase: str, today: date) -> list[date] | None:
    """ "05/12" is 5 December or 12 May: both, unless only one is a real date."""
    if not (match := _NUMERIC.match(phrase)):
        return None
    first, second = int(match[1]), int(match[2])
    year = int(match[3]) if match[3] else None
    if year is not None and year < 100:
        year += 2000
    readings = []
    for month, day in dict.fromkeys(((first, second), (second, first))):
        readings += _valid(year, month, day) if year else _this_or_next_year(today, month, day)
    return sorted(set(readings))


def _coming(today: date, weekday: int) -> date:
    """The next `weekday` after today (a week from today when today is that weekday)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _this_or_next_year(today: date, month: int, day: int) -> list[date]:
    days = _valid(today.year, month, day)
    if days and days[0] < today:
        return _valid(today.year + 1, month, day)
    return days


def _valid(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def format_day(t, day: date) -> str:
    """A day as people read it in `t`'s language: "Fri 5 Dec 2026", "2026年12月5日（周五）"."""
    weekday = t("date.weekdays").split(",")[day.weekday()]
    month = t("date.months").split(",")[day.month - 1]
    return t("date.day", weekday=weekday, day=day.day, month=month, year=day.year)


_DURATION = re.compile(r"\s+(\d+)\s*(m|min|mins|minutes|h|hr|hrs|hours|分钟|小时)$")
_TIMES = (
    (re.compile(r"(?:^|\s)(\d{1,2}):(\d{2})$"), None),
    (re.compile(r"(?:^|\s)(\d{1,2})(?::(\d{2}))?\s*(am|pm)$"), "ampm"),
    (re.compile(r"\s*(上午|下午|晚上)?(\d{1,2})[点點](半|(\d{1,2})分?)?$"), "zh"),
)


def split_duration(text: str) -> tuple[str, int | None]:
    """ "2026-12-10 15:00 60m" → ("2026-12-10 15:00", 60); no duration → (text, None)."""
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
    phrase = text.strip().lower()
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
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    return hour, minute


def format_when(t, moment: datetime, timezone: str | None) -> str:
    """A moment as the person reads it, in their own time zone: "Thu 10 Dec 2026, 15:00 (Europe/London)"."""
    zone = timezone or "UTC"
    local = moment.astimezone(ZoneInfo(zone))
    return t("date.when", day=format_day(t, local.date()), time=local.strftime("%H:%M"), zone=zone)
