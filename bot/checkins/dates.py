"""Dates as people type them: "2026-12-28", "next monday", "2 weeks", "12月28日" (dateparser)."""

from __future__ import annotations

import re
from datetime import date, datetime

import dateparser

_MONTH_DAY = re.compile(r"^\d{1,2}月\d{1,2}[日号]$")
_UNTIL = re.compile(r"^(until|till|to|直到|到)\s*", re.IGNORECASE)


def parse_day(text: str, *, local_now: datetime) -> date | None:
    """The day `text` names, as seen from `local_now` (the person's own wall clock); future first."""
    text = _UNTIL.sub("", text.strip()).strip()
    if not text:
        return None
    if _MONTH_DAY.match(text):
        # dateparser reads 12月28日 only with an explicit format, and then without preferring the future.
        parsed = dateparser.parse(text.replace("号", "日"), date_formats=["%m月%d日"])
        if parsed is None:
            return None
        day = parsed.date().replace(year=local_now.year)
        return day if day >= local_now.date() else day.replace(year=local_now.year + 1)
    settings = {"RELATIVE_BASE": local_now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    parsed = dateparser.parse(text, languages=["en", "zh"], settings=settings)
    return parsed.date() if parsed else None
