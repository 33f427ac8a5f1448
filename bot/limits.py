"""Limits against noise: how much one person may give in a day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.turn import Turn
from store import feedback


async def check_daily_cap(turn: Turn) -> None:
    """Refuse once the person has given the organisation's daily cap of kudos and feedback.

    The day is the giver's own: it starts at midnight where they live.
    """
    if (await given_today([turn])).get(turn.person.id, 0) >= turn.org.daily_give_cap:
        raise UserError("limits.daily_cap", cap=turn.org.daily_give_cap)


async def given_today(turns: Sequence[Turn]) -> dict[int, int]:
    """How many kudos and pieces of feedback each acting person has given today, by person id, in one
    query per organisation and start of day (people in one time zone share it); turns share a session."""
    groups: dict[tuple[int, datetime], set[int]] = defaultdict(set)
    for turn in turns:
        zone = ZoneInfo(turn.person.timezone or "UTC")
        local_midnight = datetime.combine(turn.clock.now().astimezone(zone).date(), time(0), tzinfo=zone)
        groups[(turn.org.id, local_midnight.astimezone(UTC))].add(turn.person.id)
    given: dict[int, int] = {}
    for (org_id, since), person_ids in groups.items():
        given |= await feedback.given_since_many(
            turns[0].session, org_id=org_id, person_ids=person_ids, since=since
        )
    return given
