"""The day phrases Rapport reads, in English and Chinese.

A strict grammar rather than a general date parser: a phrase is read only when it is one of the
forms below, whole, so that what is not written here is asked back instead of guessed (a general
parser reads "5" as the 5th of some month and "june" as a day in June). Each rule returns every day
the phrase could mean; `bot.dates.parse_day` decides what to ask back. The calendar arithmetic is in `bot.day_arithmetic`.

English: yesterday, today, tomorrow, the day after tomorrow; friday, this/next friday, friday next week, friday
after next; in 2 weeks, two weeks from now, a fortnight, 3 days, in a month; end/start of (next)
month, end of year; dec 5, 5 december, 5th of dec 2027; the 5th; 2026-12-05, 05/12, 5.12.2026.
Chinese: 昨天, 今天, 明天, 后天, 大后天; 周五, 这周五, 下周五, 下下周一 (also 星期, 礼拜); 两周后, 3天后,
一个月后, 过两周; 月底, 下月底, 月初, 下个月初, 年底; 12月5日, 2027年12月5日, 十二月五号, 下个月5号, 5号.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.day_arithmetic import _coming, _edge, _in_week, _later, _month_end, _valid, add_months
from bot.numbers import small_count

YEAR, MONTH = "year", "month"


@dataclass(frozen=True)
class Reading:
    """The days a phrase could mean. `repeats` is YEAR for a month and day typed without a year and
    MONTH for a day of the month alone: the day read is this year's (this month's), passed or not."""

    days: tuple[date, ...]
    repeats: str | None = None
    whole: bool = False  # a whole week or month ("next week", "下个月"): which day is asked
    no_such: date | None = None  # "Feb 29" in 2027, "2027-02-30": that month's last day (it is told)


Rule = Callable[[str, date], Reading | None]

_EN_WEEKDAYS = {
    **dict.fromkeys(("monday", "mon"), 0),
    **dict.fromkeys(("tuesday", "tues", "tue"), 1),
    **dict.fromkeys(("wednesday", "wed"), 2),
    **dict.fromkeys(("thursday", "thurs", "thur", "thu"), 3),
    **dict.fromkeys(("friday", "fri"), 4),
    **dict.fromkeys(("saturday", "sat"), 5),
    **dict.fromkeys(("sunday", "sun"), 6),
}
_MONTH_NAMES = (
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sept sep"
)
_EN_MONTHS = {
    name: number
    for number, names in enumerate(f"{_MONTH_NAMES}|october oct|november nov|december dec".split("|"), 1)
    for name in names.split()
}
_EN_UNITS = {unit + plural: unit for unit in ("day", "week", "month") for plural in ("", "s")}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "礼拜": "week", "月": "month"}


def _words(names) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


_WD = rf"(?P<wd>{_words(_EN_WEEKDAYS)})"
_MON = rf"(?P<month>{_words(_EN_MONTHS)})\.?"
_DAY = r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>[0-9]{4}))?"
_ZH_NUM = r"[0-9一二两三四五六七八九十]{1,3}"

_ISO = re.compile(r"^(?P<year>[0-9]{4})[-/.](?P<month>[0-9]{1,2})[-/.](?P<day>[0-9]{1,2})$")
_NUMERIC = re.compile(r"^(?P<a>[0-9]{1,2})[/.](?P<b>[0-9]{1,2})(?:[/.](?P<year>[0-9]{2}|[0-9]{4}))?$")
_EN_WEEKDAY = re.compile(rf"^(?:(?P<which>this|next|coming|last)\s+)?{_WD}$")
_EN_WEEK_OF = (
    re.compile(rf"^{_WD}\s+(?P<which>next|this)\s+week$"),
    re.compile(rf"^(?P<which>next|this)\s+week\s+{_WD}$"),
)
_EN_AFTER_NEXT = re.compile(rf"^(?:the\s+)?{_WD}\s+after\s+next$")
_EN_RELATIVE = re.compile(
    r"^(?:in\s+)?(?P<count>[a-z0-9]+)\s+(?P<unit>days?|weeks?|months?)(?:\s+from\s+(?:now|today))?$"
)
_EN_FORTNIGHT = re.compile(r"^(?:in\s+)?a\s+fortnight(?:\s+from\s+(?:now|today))?$")
_EN_MONTH_EDGE = re.compile(
    r"^(?:the\s+)?(?P<edge>end|start|beginning)\s+of\s+(?:(?P<which>the|this|next)\s+)?month$"
)
_EN_MONTH_DAY = (
    re.compile(rf"^{_MON}\s+(?:the\s+)?{_DAY}{_YEAR}$"),
    re.compile(rf"^(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MON}{_YEAR}$"),
)
_EN_DAY_ALONE = re.compile(r"^(?:the\s+(?P<a>[0-9]{1,2})(?:st|nd|rd|th)?|(?P<b>[0-9]{1,2})(?:st|nd|rd|th))$")
_EN_WHOLE = re.compile(r"^(?:next|this)\s+(?:week|month|year)$")
_EN_NAMED = {"yesterday": -1, "today": 0, "tomorrow": 1, "day after tomorrow": 2, "the day after tomorrow": 2}
_EN_YEAR_END = {"end of year", "end of the year", "end of this year", "eoy"}

_ZH_WEEKDAY = re.compile(r"^(?P<which>下下|下|这|本)?个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])$")
_ZH_RELATIVE = re.compile(
    rf"^(?P<ago>过)?(?P<count>{_ZH_NUM})个?(?P<unit>天|日|周|星期|礼拜|月)(?P<after>后|以后|之后)?$"
)
_ZH_MONTH_EDGE = re.compile(r"^(?P<which>本|这个?|下个?)?月(?P<edge>底|末|初)$")
_ZH_MONTH_DAY = re.compile(rf"^(?:(?P<year>[0-9]{{4}})年)?(?P<month>{_ZH_NUM})月(?P<day>{_ZH_NUM})[日号]?$")
_ZH_DAY_OF = re.compile(rf"^(?P<which>本|这个?|下个?)?月?(?P<day>{_ZH_NUM})[日号]$")
_ZH_WHOLE = re.compile(r"^(?:下|这|本)个?(?:周|星期|礼拜|月)$")
_ZH_NAMED = {"前天": -2, "昨天": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
_ZH_YEAR_END = {"年底", "年末", "今年底", "今年年底"}


def read(phrase: str, today: date) -> Reading | None:
    """What `phrase` (lower case, spaces collapsed) names, as seen on `today`; None when no rule
    reads it."""
    if _EN_WHOLE.match(phrase) or _ZH_WHOLE.match(phrase.replace(" ", "")):
        return Reading((), whole=True)
    for rule in _RULES:
        if (reading := rule(phrase, today)) is not None:
            return reading
    chinese = phrase.replace(" ", "")
    for rule in _ZH_RULES:
        if (reading := rule(chinese, today)) is not None:
            return reading
    return None


def _named(phrase: str, today: date) -> Reading | None:
    ahead = _EN_NAMED.get(phrase, _ZH_NAMED.get(phrase.replace(" ", "")))
    return None if ahead is None else Reading((today + timedelta(days=ahead),))


def _iso(phrase: str, today: date) -> Reading | None:
    if match := _ISO.match(phrase):
        return _on(int(match["year"]), int(match["month"]), int(match["day"]))
    return None


def _numeric(phrase: str, today: date) -> Reading | None:
    """ "05/12" is 5 December or 12 May: both, unless only one is a real date."""
    if not (match := _NUMERIC.match(phrase)):
        return None
    first, second = int(match["a"]), int(match["b"])
    year = int(match["year"]) if match["year"] else None
    if year is not None and year < 100:
        year += 2000
    days: list[date] = []
    for month, day in dict.fromkeys(((first, second), (second, first))):
        days += _valid(year or today.year, month, day)
    return Reading(tuple(sorted(set(days))), repeats=None if year else YEAR)


def _en_weekday(phrase: str, today: date) -> Reading | None:
    if match := _EN_WEEKDAY.match(phrase):
        coming = _coming(today, _EN_WEEKDAYS[match["wd"]])
        if match["which"] == "last":  # read, so that it is refused as passed rather than unreadable
            return Reading((coming - timedelta(days=7 if coming - today < timedelta(days=7) else 14),))
        if match["which"] == "this" and coming - today == timedelta(days=7):
            return Reading((today,))  # "this friday" on a Friday is today
        if match["which"] is None:
            return _today_or_coming(today, coming)
        if match["which"] != "next":
            return Reading((coming,))
        # "next friday" on a Tuesday may mean this week's Friday or the one after: both are read.
        same_week = coming.isocalendar()[:2] == today.isocalendar()[:2]
        return Reading((coming, coming + timedelta(days=7)) if same_week else (coming,))
    if match := _EN_WEEK_OF[0].match(phrase) or _EN_WEEK_OF[1].match(phrase):
        weeks = 1 if match["which"] == "next" else 0
        return Reading((_in_week(today, weeks=weeks, weekday=_EN_WEEKDAYS[match["wd"]]),))
    if match := _EN_AFTER_NEXT.match(phrase):
        # The one after the coming one, or the one in the week after next: when they differ, both.
        weekday = _EN_WEEKDAYS[match["wd"]]
        days = {_coming(today, weekday) + timedelta(days=7), _in_week(today, weeks=2, weekday=weekday)}
        return Reading(tuple(sorted(days)))
    return None


def _en_relative(phrase: str, today: date) -> Reading | None:
    if _EN_FORTNIGHT.match(phrase):
        return Reading((today + timedelta(days=14),))
    match = _EN_RELATIVE.match(phrase)
    count = match and small_count(match["count"])
    return Reading((_later(today, count, _EN_UNITS[match["unit"]]),)) if count else None


def _en_month_edge(phrase: str, today: date) -> Reading | None:
    if phrase in ("eom", "end of month"):
        return Reading((_month_end(today),))
    if phrase in _EN_YEAR_END:
        return Reading((date(today.year, 12, 31),))
    if match := _EN_MONTH_EDGE.match(phrase):
        which = {"next": "next", "this": "this"}.get(match["which"] or "")
        return Reading((_edge(today, start=match["edge"] != "end", which=which),))
    return None


def _en_month_day(phrase: str, today: date) -> Reading | None:
    if match := _EN_MONTH_DAY[0].match(phrase) or _EN_MONTH_DAY[1].match(phrase):
        return _month_day(match["year"], _EN_MONTHS[match["month"]], int(match["day"]), today)
    if match := _EN_DAY_ALONE.match(phrase):
        return _day_of_month(today, int(match["a"] or match["b"]))
    return None


def _zh_weekday(phrase: str, today: date) -> Reading | None:
    if not (match := _ZH_WEEKDAY.match(phrase)):
        return None
    weeks, weekday = _ZH_WEEKS_AHEAD.get(match["which"]), _ZH_WEEKDAYS[match["wd"]]
    if weeks is None:  # 周五: the coming one (today or a week on, when today is a Friday)
        return _today_or_coming(today, _coming(today, weekday))
    # 这周五 is this week's, even if it has passed (then it is in the past); 下周五 next week's.
    return Reading((_in_week(today, weeks=weeks, weekday=weekday),))


_ZH_WEEKS_AHEAD = {"这": 0, "本": 0, "下": 1, "下下": 2}


def _zh_relative(phrase: str, today: date) -> Reading | None:
    match = _ZH_RELATIVE.match(phrase)
    if not match or not (match["ago"] or match["after"]) or (match["unit"] == "月" and "个" not in phrase):
        return None  # "两周" alone is a length, not a day; "两月后" is not said (两个月后 is)
    count = small_count(match["count"])
    return Reading((_later(today, count, _ZH_UNITS[match["unit"]]),)) if count else None


def _zh_month_edge(phrase: str, today: date) -> Reading | None:
    if phrase in _ZH_YEAR_END:
        return Reading((date(today.year, 12, 31),))
    if not (match := _ZH_MONTH_EDGE.match(phrase)):
        return None
    which = "next" if (match["which"] or "").startswith("下") else "this" if match["which"] else None
    return Reading((_edge(today, start=match["edge"] == "初", which=which),))


def _zh_month_day(phrase: str, today: date) -> Reading | None:
    if match := _ZH_MONTH_DAY.match(phrase):
        month, day = small_count(match["month"]), small_count(match["day"])
        return _month_day(match["year"], month, day, today) if month and day else Reading(())
    if match := _ZH_DAY_OF.match(phrase):
        day = small_count(match["day"])
        if not day:
            return Reading(())
        if not match["which"]:
            return _day_of_month(today, day)
        first = add_months(today.replace(day=1), 1 if match["which"].startswith("下") else 0)
        return Reading(_valid(first.year, first.month, day))
    return None


_RULES: tuple[Rule, ...] = (_named, _iso, _numeric, _en_weekday, _en_relative, _en_month_edge, _en_month_day)
_ZH_RULES: tuple[Rule, ...] = (_zh_weekday, _zh_relative, _zh_month_edge, _zh_month_day)


def _month_day(year: str | None, month: int, day: int, today: date) -> Reading:
    if year:
        return _on(int(year), month, day)
    return replace(_on(today.year, month, day), repeats=YEAR)


def _on(year: int, month: int, day: int) -> Reading:
    """One day by its numbers; a day past the end of a real month ("Feb 29" in 2027, "Apr 31") is
    read as no day, with that month's last day to say so."""
    days = _valid(year, month, day)
    if days or not (1 <= month <= 12 and 1 <= year <= 9999 and 28 < day <= 31):
        return Reading(days)
    return Reading((), no_such=date(year, month, calendar.monthrange(year, month)[1]))


def _day_of_month(today: date, day: int) -> Reading:
    return Reading(_valid(today.year, today.month, day), repeats=MONTH)


def _today_or_coming(today: date, coming: date) -> Reading:
    """A weekday named alone ("friday", "周五"): the coming one, but on that weekday itself it may be
    today or a week on, and both are read (the person is asked which)."""
    return Reading((today, coming) if coming - today == timedelta(days=7) else (coming,))
