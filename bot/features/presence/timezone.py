"""`/rapport timezone Asia/Shanghai`: anyone sets their own time zone.

Some platforms never say what time zone someone is in, and a profile or the org
import may have it wrong: check-ins, reminders and digests come at local times, so each person can
set theirs. An IANA name is taken in any case ("asia/shanghai"), and so is a city a zone is named
after ("Berlin", "New York") or a few well-known places in Chinese ("北京"). The next check-in moves
to the new local time at once.
"""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.features.checkins import cycle
from bot.replies import Reply
from bot.subcommands import nearest
from bot.turn import Turn
from store import directory
from store.models import Organisation

# Places people name that no IANA zone is named after, or that they write in Chinese.
PLACES = {
    "beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "北京": "Asia/Shanghai", "上海": "Asia/Shanghai",
    "中国": "Asia/Shanghai", "深圳": "Asia/Shanghai", "广州": "Asia/Shanghai", "杭州": "Asia/Shanghai",
    "香港": "Asia/Hong_Kong", "台北": "Asia/Taipei", "东京": "Asia/Tokyo", "首尔": "Asia/Seoul",
    "新加坡": "Asia/Singapore", "伦敦": "Europe/London", "巴黎": "Europe/Paris", "柏林": "Europe/Berlin",
    "纽约": "America/New_York", "旧金山": "America/Los_Angeles", "洛杉矶": "America/Los_Angeles",
    "悉尼": "Australia/Sydney", "utc": "UTC", "gmt": "UTC",
}  # fmt: skip


@functools.cache
def _names() -> dict[str, str]:
    """Every way a zone may be written, lower-cased → its IANA name: the name itself, and the city
    it is named after when only one zone is ("new york" → America/New_York)."""
    zones = {name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/"))}
    names = {name.lower(): name for name in zones}
    cities: dict[str, set[str]] = {}
    for name in zones:
        cities.setdefault(name.rsplit("/", 1)[1].replace("_", " ").lower(), set()).add(name)
    names.update({city: found.pop() for city, found in cities.items() if len(found) == 1 and city not in names})
    return names | PLACES


def find_zone(text: str) -> str | None:
    """The IANA time zone `text` names, or None."""
    key = " ".join(text.strip().replace("_", " ").split()).lower()
    return _names().get(key) or _names().get(key.replace(" ", "_"))


async def set_timezone(turn: Turn, text: str) -> Reply:
    """Set the person's time zone; without one, say which they have and how to change it."""
    if not text.strip():
        current = turn.zone_for(turn.person)
        key = "timezone.current" if turn.person.timezone else "timezone.current_default"
        return Reply.text(turn.t(key, zone=current, time=_local_time(turn, current)))
    name = find_zone(text)
    if name is None:
        guess = nearest(text.strip().lower(), _names())
        if guess is not None:
            raise UserError("timezone.did_you_mean", given=text.strip(), zone=_names()[guess])
        raise UserError("timezone.unknown", given=text.strip())
    now = turn.clock.now()
    await directory.update_many(
        turn.session, org_id=turn.org.id, changes=[{"id": turn.person.id, "timezone": name}], now=now
    )
    await cycle.follow_timezones(turn.session, org_id=turn.org.id, person_ids=[turn.person.id], now=now)
    return Reply.text(turn.t("timezone.set", zone=name, time=_local_time(turn, name)))


async def set_org_default(session: AsyncSession, *, org: Organisation, text: str, now: datetime) -> str:
    """Make `text` (read as `/rapport timezone` reads it) the zone of everyone in `org` who has none
    of their own, and move their next check-in to it; the zone's IANA name.

    Raises:
        ValueError: the zone is unknown (saying which it may have meant).
    """
    name = find_zone(text)
    if name is None:
        guess = nearest(text.strip().lower(), _names())
        hint = f"; did you mean {_names()[guess]}?" if guess is not None else " (like Asia/Shanghai)"
        raise ValueError(f"{text.strip()!r} is not a time zone{hint}")
    org.default_timezone = name
    await session.flush()
    await cycle.follow_org_zone(session, org_id=org.id, now=now)
    return name


def _local_time(turn: Turn, name: str) -> str:
    return turn.clock.now().astimezone(ZoneInfo(name)).strftime("%H:%M")
