"""Check-in time, in each person's own time zone: next prompts, answer windows, the reminder.

Next times come from APScheduler's CronTrigger, which keeps a local wall-clock time across
daylight-saving changes (09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer). A time
the clocks skip in spring (02:30 on that Sunday in New York) comes an hour later, at 03:30; a time
they repeat in autumn (01:30) comes once, the first time.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.workdays import MIN_GAP_BEFORE_REMINDER, REMINDER_AT, WORK_END, next_working_day

CADENCES = ("weekly", "biweekly", "monthly")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, kw_only=True)
class Cadence:
    """Weekly or every two weeks on a weekday, or monthly on the first such weekday, at a local time.

    `anchor` is a date in an "on" week for every two weeks.
    """

    kind: str
    weekday: int
    hour: int
    minute: int
    anchor: date


def _trigger(cadence: Cadence, tz: ZoneInfo) -> CronTrigger:
    day_name = DAY_NAMES[cadence.weekday]
    if cadence.kind == "monthly":
        return CronTrigger(day=f"1st {day_name}", hour=cadence.hour, minute=cadence.minute, timezone=tz)
    return CronTrigger(day_of_week=day_name, hour=cadence.hour, minute=cadence.minute, timezone=tz)


def next_run(cadence: Cadence, *, tz: ZoneInfo, after: datetime) -> datetime:
    """The first prompt strictly after `after`, in UTC."""
    trigger = _trigger(cadence, tz)
    fire = trigger.get_next_fire_time(None, after + timedelta(seconds=1))
    while _repeated(fire) or (cadence.kind == "biweekly" and ((fire.date() - cadence.anchor).days // 7) % 2):
        # A second later in real time: wall-clock arithmetic would lose the fold and loop.
        fire = trigger.get_next_fire_time(fire, (fire.astimezone(UTC) + timedelta(seconds=1)).astimezone(tz))
    return fire.astimezone(UTC)


def _repeated(local: datetime) -> bool:
    """The second occurrence of a wall-clock time the clocks went back over (CronTrigger fires at
    both 01:30s of that night)."""
    return local.replace(fold=0).utcoffset() != local.utcoffset()


def window_end(run_at: datetime, *, tz: ZoneInfo, holidays: Container[date]) -> datetime:
    """When a check-in stops taking answers: the end of the working day after the prompt's day."""
    last_day = next_working_day(run_at.astimezone(tz).date(), holidays)
    return datetime.combine(last_day, WORK_END, tzinfo=tz).astimezone(UTC)


def reminder_time(run_at: datetime, *, closes: datetime, tz: ZoneInfo) -> datetime | None:
    """The one reminder: mid-morning of the window's last day, if that leaves the person time first."""
    at = datetime.combine(closes.astimezone(tz).date(), REMINDER_AT, tzinfo=tz).astimezone(UTC)
    return at if at >= run_at + MIN_GAP_BEFORE_REMINDER else None
