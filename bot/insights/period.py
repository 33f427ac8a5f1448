"""Reporting periods: a year (`2026`), a quarter (`2026-Q4`) or a month (`2026-11`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.errors import UserError
from bot.numbers import ascii_digits

_YEAR = re.compile(r"^([0-9]{4})$")
_QUARTER = re.compile(r"^([0-9]{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
YEARS = range(2000, 2101)  # what a report can be about; a trend reaches back from its first


@dataclass(frozen=True, kw_only=True)
class Period:
    """Days from `start` up to (not including) `end`; `kind` is year, quarter or month."""

    kind: str
    year: int
    number: int  # the quarter or month; 1 for a year

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def start(self) -> date:
        month = {"year": 1, "quarter": 3 * self.number - 2, "month": self.number}[self.kind]
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        return self.shifted(1).start

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=UTC)

    @property
    def months(self) -> frozenset[int]:
        """The months of its year it covers (1-12): what HR figures are summed over."""
        first = self.start.month
        return frozenset(range(first, first + {"year": 12, "quarter": 3, "month": 1}[self.kind]))

    def shifted(self, by: int) -> Period:
        """The period `by` steps later (earlier when negative), of the same kind."""
        per_year = {"year": 1, "quarter": 4, "month": 12}[self.kind]
        index = self.year * per_year + (self.number - 1) + by
        return Period(kind=self.kind, year=index // per_year, number=index % per_year + 1)

    def trend(self, count: int) -> list[Period]:
        """The last `count` periods, oldest first, ending with this one."""
        return [self.shifted(-back) for back in range(count - 1, -1, -1)]

    def iso_weeks(self) -> list[str]:
        """ISO weeks (`2026-W48`) whose Thursday falls in the period: the pulse is stored by week only."""
        day = self.start + timedelta(days=(3 - self.start.weekday()) % 7)  # the first Thursday
        weeks = []
        while day < self.end:
            year, week, _ = day.isocalendar()
            weeks.append(f"{year}-W{week:02d}")
            day += timedelta(days=7)
        return weeks


def parse_period(text: str) -> Period:
    """`2026`, `2026-Q4` or `2026-11` of a year in YEARS; anything else is asked back politely."""
    text = ascii_digits(text.strip())
    period = _read_period(text)
    if period is None:
        raise UserError("insights.bad_period", period=text)
    if period.year not in YEARS:
        raise UserError("insights.period_out_of_range", period=text, first=YEARS[0], last=YEARS[-1])
    return period


def _read_period(text: str) -> Period | None:
    if found := _YEAR.match(text):
        return Period(kind="year", year=int(found[1]), number=1)
    if found := _QUARTER.match(text):
        return Period(kind="quarter", year=int(found[1]), number=int(found[2]))
    if (found := _MONTH.match(text)) and 1 <= int(found[2]) <= 12:
        return Period(kind="month", year=int(found[1]), number=int(found[2]))
    return None


def quarter_of(day: date) -> Period:
    """The quarter a day is in: the dashboard's default."""
    return Period(kind="quarter", year=day.year, number=(day.month - 1) // 3 + 1)
