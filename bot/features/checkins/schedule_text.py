"""`/checkin schedule ...` as people type it, in English or Chinese, and a schedule read back.

Read strictly: every word must be a cadence, a weekday, a time or one of a few small words ("at",
"on", "每", "的"), so "weekly funday 16:00" is asked back ("funday"?) rather than read as Friday.
What is not said is kept from the person's current schedule ("/checkin schedule 9:30" moves only
the time). Check-ins ask how the week went, so a rhythm more often than weekly ("daily",
"weekdays", "每天") is refused with the ones there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dates import split_time
from bot.errors import UserError
from bot.features.checkins.cadence import CADENCES
from bot.forms.engine import normalise
from bot.i18n import LOCALES, Catalogue, Messages

_TIME = re.compile(r"(?<![0-9])([0-9]{1,2})[:：]([0-9]{2})(?![0-9])")
DEFAULT_CADENCE, DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE = "weekly", 4, 16, 0  # Friday 16:00


@dataclass(frozen=True, kw_only=True)
class Wanted:
    """What someone asked for: a cadence, weekday and time (None where not said); or `off`."""

    off: bool = False
    cadence: str | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int | None = None

    def over(self, current=None) -> tuple[str, int, int, int]:
        """The cadence, weekday, hour and minute this makes of `current` (a schedule row, or None):
        what was not said is kept from it, or is the default (weekly, Friday, 16:00)."""
        keep = (
            (current.cadence, current.weekday, current.hour, current.minute)
            if current is not None
            else (DEFAULT_CADENCE, DEFAULT_WEEKDAY, DEFAULT_HOUR, DEFAULT_MINUTE)
        )
        said = (self.cadence, self.weekday, self.hour, self.minute)
        return tuple(new if new is not None else old for new, old in zip(said, keep, strict=True))


def _words(catalogue: Catalogue, name: str) -> list[str]:
    return [w for locale in LOCALES for w in catalogue.tables[locale][f"checkins.words.{name}"].split("|")]


def _pattern(word: str) -> str:
    """Latin words must stand alone ("mon" is not in "monthly"); Chinese ones need not."""
    word = re.escape(normalise(word))
    return rf"(?<![a-z]){word}(?![a-z])" if word.isascii() else word


def _take(text: str, spelled: list[tuple[object, str]]) -> tuple[str, list[object]]:
    """`text` without the words in `spelled` (longest first), and the values of those found."""
    found = []
    for value, word in sorted(spelled, key=lambda pair: -len(pair[1])):
        text, count = re.subn(_pattern(word), " ", text)
        found += [value] * count
    return text, found


def parse(catalogue: Catalogue, text: str) -> Wanted:
    """The schedule in `text`.

    Raises:
        UserError: "checkins.schedule.unknown_words" (with the words not understood),
            "checkins.schedule.too_often" or "checkins.schedule.bad" (nothing said, or two days).
    """
    text = normalise(text)
    if text in map(normalise, _words(catalogue, "off")):
        return Wanted(off=True)
    if _take(text, [(True, w) for w in _words(catalogue, "too_often")])[1]:
        raise UserError("checkins.schedule.too_often")
    text, clock = _take_time(text)
    text, days = _take(text, [(d, w) for d in range(7) for w in _words(catalogue, f"day{d}")])
    text, cadences = _take(text, [(c, w) for c in CADENCES for w in _words(catalogue, c)])
    text, _ = _take(text, [(None, w) for w in _words(catalogue, "filler")])
    if text.split():
        raise UserError("checkins.schedule.unknown_words", words=" ".join(text.split()))
    if len(set(days)) > 1 or len(set(cadences)) > 1 or not (days or cadences or clock):
        raise UserError("checkins.schedule.bad")
    hour, minute = clock or (None, None)
    return Wanted(
        cadence=cadences[0] if cadences else None,
        weekday=days[0] if days else None,
        hour=hour,
        minute=minute,
    )


def _take_time(text: str) -> tuple[str, tuple[int, int] | None]:
    """The time of day anywhere as 16:00, or at the end as 4pm or 下午4点; a time that is no time
    of day ("25:00") is left in the text, to be asked back."""
    if (match := _TIME.search(text)) and int(match[1]) < 24 and int(match[2]) < 60:
        return text[: match.start()] + " " + text[match.end() :], (int(match[1]), int(match[2]))
    rest, clock = split_time(text)
    return (rest, clock) if clock else (text, None)


def describe(t: Messages, *, cadence: str, weekday: int) -> str:
    """ "every Friday", "每两周的周一"."""
    assert cadence in CADENCES
    day = t("checkins.schedule.days").split("\n")[weekday]
    return t(f"checkins.schedule.{cadence}", day=day)
