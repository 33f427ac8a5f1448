"""`/rapport`: help, and being away or muted. `mute` stops reminders (prompts still come); `away`
pauses prompts too."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from functools import partial

from bot.dates import format_day, parse_day
from bot.errors import UserError
from bot.features.help import general_help
from bot.features.presence.timezone import set_timezone
from bot.features.privacy.export import export_command
from bot.insights.command import dashboard
from bot.replies import Reply
from bot.router import Router
from bot.subcommands import HELP_WORDS, subcommands
from bot.turn import Turn
from bot.workdays import person_zone
from store import presence

DEFAULT_MUTE = timedelta(days=7)
_UNTIL = re.compile(r"^(until|till|to|直到|到)\s*", re.IGNORECASE)


async def mute(turn: Turn, text: str) -> Reply:
    """Mute reminders through the named day (a week by default)."""
    tz = person_zone(turn.person, turn.org)
    local_now = turn.clock.now().astimezone(tz)
    last_day = (local_now + DEFAULT_MUTE).date() if not text else _future_day(turn, text)
    until = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    await presence.mute(turn.session, org_id=turn.org.id, person_id=turn.person.id, until=until)
    return Reply.text(turn.t("presence.muted", day=format_day(turn.t, last_day)))


async def unmute(turn: Turn, _text: str) -> Reply:
    await presence.mute(turn.session, org_id=turn.org.id, person_id=turn.person.id, until=None)
    return Reply.text(turn.t("presence.unmuted"))


async def away(turn: Turn, text: str) -> Reply:
    """Pause check-in prompts until the day the person is back."""
    if not text:
        raise UserError("presence.away_usage")
    back_on = _future_day(turn, text)
    last_day = back_on - timedelta(days=1)
    await presence.set_away(turn.session, org_id=turn.org.id, person_id=turn.person.id, last_day=last_day)
    return Reply.text(turn.t("presence.away", day=format_day(turn.t, back_on)))


async def back(turn: Turn, _text: str) -> Reply:
    await presence.set_away(turn.session, org_id=turn.org.id, person_id=turn.person.id, last_day=None)
    return Reply.text(turn.t("presence.back"))


def _future_day(turn: Turn, text: str):
    """A day after today; unreadable, past or ambiguous dates are asked back by `parse_day`."""
    local_now = turn.clock.now().astimezone(person_zone(turn.person, turn.org))
    day = parse_day(_UNTIL.sub("", text.strip()), now=local_now)
    if day <= local_now.date():
        raise UserError("presence.past_date", day=day)
    return day


SUBCOMMANDS = {
    "mute": mute,
    "静音": mute,
    "unmute": unmute,
    "取消静音": unmute,
    "away": away,
    "休假": away,
    "back": back,
    "回来": back,
    "export": export_command,
    "导出": export_command,
    "timezone": set_timezone,
    "时区": set_timezone,
}
# Words people use for a sub-command: asked back ("did you mean `/rapport away ...`?").
SYNONYMS = {
    **dict.fromkeys(("silence", "quiet", "snooze", "pause"), "mute"),
    **dict.fromkeys(("免打扰", "暂停"), "静音"),
    **dict.fromkeys(("vacation", "holiday", "leave", "ooo", "off"), "away"),
    **dict.fromkeys(("请假", "度假", "不在"), "休假"),
    **dict.fromkeys(("return", "returned"), "back"),
    **dict.fromkeys(("download",), "export"),
    **dict.fromkeys(("下载",), "导出"),
    **dict.fromkeys(("tz", "zone", "time-zone"), "timezone"),
}


def register(router: Router, *, public_url: str) -> None:
    link = partial(dashboard, public_url=public_url)
    show_help = general_help(router)
    table = {**SUBCOMMANDS, "dashboard": link, "仪表板": link, **dict.fromkeys(HELP_WORDS, show_help)}
    router.command("rapport")(subcommands(table, otherwise=show_help, synonyms=SYNONYMS))
