"""Limits against noise: how long a message must be to say something, how much one person may give
in a day."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from bot.errors import UserError
from bot.turn import Turn
from store import feedback


def check_length(text: str, *, minimum: int, maximum: int, key: str) -> None:
    """Refuse text too short to say anything or too long to read, with the messages `key` + "short"
    and `key` + "long" (`kudos.too_short`, `action.title_long`).

    A Chinese, Japanese or Korean character says about as much as a short word, so each counts as two
    towards `minimum`: "谢谢" and "辛苦了" are whole messages where "ok" is not. The longest is
    counted in characters, as people see them.
    """
    if _weight(text) < minimum:
        raise UserError(f"{key}short", min=minimum)
    if len(text) > maximum:
        raise UserError(f"{key}long", length=len(text), max=maximum)


def _weight(text: str) -> int:
    text = text.strip()
    if text.isascii():  # no wide letter to look up (most messages in English)
        return len(text)
    return len(text) + sum(1 for c in text if not c.isascii() and _is_ideograph_or_syllable(c))


def _is_ideograph_or_syllable(char: str) -> bool:
    """A wide letter: a CJK ideograph, kana or hangul (not a wide emoji or punctuation mark)."""
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char) == "Lo"


async def check_daily_cap(turn: Turn) -> None:
    """Refuse once the person has given the organisation's daily cap of kudos and feedback.

    The day is the giver's own: it starts at midnight where they live.
    """
    if (await given_today([turn])).get(turn.person.id, 0) >= turn.org.daily_give_cap:
        raise UserError("limits.daily_cap", count=turn.org.daily_give_cap)


async def given_today(turns: Sequence[Turn]) -> dict[int, int]:
    """How many kudos and pieces of feedback each acting person has given today (their own day), by
    person id, in one query per organisation; the turns share a session."""
    given: dict[int, int] = {}
    for org_id, days in _days(turns).items():
        given |= await feedback.given_on(turns[0].session, org_id=org_id, days=days)
    return given


async def count_given(turns: Sequence[Turn]) -> None:
    """Count what these turns gave (one kudos or piece of feedback each) towards each giver's day;
    a giver among them twice gave twice."""
    counts: dict[int, Counter[tuple[int, date]]] = defaultdict(Counter)
    for turn in turns:
        counts[turn.org.id][(turn.person.id, turn.today)] += 1
    for org_id, given in counts.items():
        await feedback.count_given(turns[0].session, org_id=org_id, given=given)


def _days(turns: Sequence[Turn]) -> dict[int, dict[int, date]]:
    days: dict[int, dict[int, date]] = defaultdict(dict)
    for turn in turns:
        days[turn.org.id][turn.person.id] = turn.today
    return days
