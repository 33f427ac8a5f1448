"""`/checkin schedule ...` as people type it, in English or Chinese, and a schedule read back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.checkins.cadence import CADENCES
from bot.forms.engine import normalise
from bot.i18n import LOCALES, Catalogue, Messages

_TIME = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?!\d)")
DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = 4, 16, 0  # Friday 16:00


@dataclass(frozen=True, kw_only=True)
class Wanted:
    """What someone asked for: a cadence, weekday and time; or `off`."""

    off: bool = False
    cadence: str = "weekly"
    weekday: int = DEFAULT_WEEKDAY
    hour: int = DEFAULT_HOUR
    minute: int = DEFAULT_MINUTE


def _words(catalogue: Catalogue, name: str) -> list[str]:
    return [w for locale in LOCALES for w in catalogue.tables[locale][f"checkins.words.{name}"].split("|")]


def _says(text: str, word: str) -> bool:
    """Latin words must stand alone ("mon" is not in "monthly"); Chinese ones need not."""
    word = normalise(word)
    if word.isascii():
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None
    return word in text


def parse(catalogue: Catalogue, text: str) -> Wanted | None:
    """The schedule in `text`, or None when it does not say one clearly."""
    text = normalise(text)
    if any(_says(text, w) for w in _words(catalogue, "off")):
        return Wanted(off=True)
    # Longest-named cadences first: "every two weeks" must not read as "weekly".
    cadence = next(
        (c for c in ("biweekly", "monthly", "weekly") if any(_says(text, w) for w in _words(catalogue, c))),
        None,
    )
    days = [d for d in range(7) if any(_says(text, w) for w in _words(catalogue, f"day{d}"))]
    time = _TIME.search(text)
    if time and not (int(time.group(1)) < 24 and int(time.group(2)) < 60):
        return None
    if len(days) > 1 or (cadence is None and not days and not time):
        return None
    hour, minute = (int(time.group(1)), int(time.group(2))) if time else (DEFAULT_HOUR, DEFAULT_MINUTE)
    return Wanted(
        cadence=cadence or "weekly",
        weekday=days[0] if days else DEFAULT_WEEKDAY,
        hour=hour,
        minute=minute,
    )


def describe(t: Messages, *, cadence: str, weekday: int) -> str:
    """ "every Friday", "每两周的周一"."""
    assert cadence in CADENCES
    day = t("checkins.schedule.days").split("\n")[weekday]
    return t(f"checkins.schedule.{cadence}", day=day)
