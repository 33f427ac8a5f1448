"""Whether a review's time suits both people: the whole meeting inside each one's working hours,
09:00 to 18:00 where they live, Monday to Friday, not on one of the organisation's holidays (the
hours Rapport prompts and reminds in: `bot.workdays`). A time that does not is asked back with both
local times, and can be kept (`anyway`) or typed in the employee's time zone (`their time`)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.dates import format_when
from bot.errors import UserError
from bot.events import Command
from bot.i18n import LOCALES
from bot.parse import as_read
from bot.turn import Turn
from bot.workdays import WORK_END, WORK_START, is_working_day, person_zone, zone_name
from store import presence
from store.models import Person


def take_word(turn: Turn, text: str, name: str) -> tuple[str, bool]:
    """`text` without the words `review.words.<name>` (in any language, standing alone), and
    whether one was there."""
    found = False
    for locale in LOCALES:
        for word in turn.catalogue.tables[locale][f"review.words.{name}"].split("|"):
            text, count = re.subn(rf"(?:^|(?<=\s)){re.escape(word)}(?=\s|$)", " ", text, flags=re.I)
            found = found or count > 0
    return " ".join(text.split()), found


async def check(
    turn: Turn, *, starts_at: datetime, minutes: int, employee: Person, manager: Person, theirs: bool
) -> None:
    """Refuse a time outside either person's working hours, saying what it is for each of them;
    `theirs` when it was typed in the employee's time zone already.

    Raises:
        UserError: "review.outside_hours".
    """
    ends_at = starts_at + timedelta(minutes=minutes)
    day = starts_at.date()
    holidays = await presence.holidays(
        turn.session, org_id=turn.org.id, start=day - timedelta(days=1), end=day + timedelta(days=1)
    )
    t, lines, outside = turn.t, [], False
    for person in (employee, manager):
        problem = _problem(starts_at, ends_at, person_zone(person, turn.org), holidays)
        outside = outside or problem is not None
        when = format_when(t, starts_at, zone_name(person, turn.org))
        mark = t("review.hours.mark", problem=t(f"review.hours.{problem}")) if problem else ""
        lines.append(t("review.hours.line", name=person.display_name, when=when, mark=mark))
    if outside:
        event = turn.event
        assert isinstance(event, Command)
        typed = " ".join(f"/{event.name} {as_read(event.text, mentions=event.mentions)}".split())
        other_zone = person_zone(employee, turn.org) != person_zone(turn.person, turn.org)
        their = f"{typed} {t('review.hours.their_word')}"
        raise UserError(
            "review.outside_hours",
            lines="\n".join(lines),
            their=t("review.hours.their", name=employee.display_name, typed=their)
            if other_zone and not theirs
            else "",
            anyway=f"{typed} {t('review.hours.anyway_word')}",
        )


def _problem(starts_at: datetime, ends_at: datetime, tz: ZoneInfo, holidays: set) -> str | None:
    """What keeps the meeting out of working hours in `tz` (a person's): weekend, holiday, early or late."""
    start, end = starts_at.astimezone(tz), (ends_at - timedelta(seconds=1)).astimezone(tz)
    if start.weekday() >= 5 or end.weekday() >= 5:
        return "weekend"
    if not (is_working_day(start.date(), holidays) and is_working_day(end.date(), holidays)):
        return "holiday"
    if start.time() < WORK_START:
        return "early"
    if start.time() >= WORK_END:
        return "late"
    if end.date() != start.date() or end.time() >= WORK_END:
        return "ends_late"
    return None
