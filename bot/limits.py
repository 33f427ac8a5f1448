"""Limits against noise: how much one person may give in a day."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.turn import Turn
from store import feedback


async def check_daily_cap(turn: Turn) -> None:
    """Refuse once the person has given the organisation's daily cap of kudos and feedback.

    The day is the giver's own: it starts at midnight where they live.
    """
    zone = ZoneInfo(turn.person.timezone or "UTC")
    local_midnight = datetime.combine(turn.clock.now().astimezone(zone).date(), time(0), tzinfo=zone)
    given = await feedback.given_since(
        turn.session, org_id=turn.org.id, person_id=turn.person.id, since=local_midnight.astimezone(UTC)
    )
    if given >= turn.org.daily_give_cap:
        raise UserError("limits.daily_cap", cap=turn.org.daily_give_cap)
