"""Goal figures (issue 18) as tables of counts for `bot.insights.figures`: who has goals this cycle,
key results updated in the last 14 days and on track (as of today, in today's month: the pace is
judged here, by `bot.goal_pace`, the rule the goals feature reads goals with), and the monthly goal
conversations offered and held (in the month they were offered)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace
from store import insights, insights_goals
from store.insights import Part, TableYear

RECENT = timedelta(days=14)


def tally(rows: Iterable[tuple[Part, int, dict[str, bool]]], *, month: int) -> TableYear:
    """A table of one month from (part, person, measures) per row: the counts by part, and the
    different people behind them."""
    found = TableYear()
    people: set[tuple[Part, int]] = set()
    for part, person, measures in rows:
        counts = found.counts.setdefault(part, {}).setdefault(month, dict.fromkeys(measures, 0))
        for measure, counted in measures.items():
            counts[measure] += int(counted)
        if (part, person) not in people:
            people.add((part, person))
            found.add_person(part, 1 << (month - 1))
    return found


async def tables(session: AsyncSession, *, org_id: int, year: int, today: date) -> dict[str, TableYear]:
    """The goal tables of the year: those of the cycle under way only in today's year."""
    found = {
        "goal_talks": await insights.count(session, insights_goals.talks(session, org_id=org_id, year=year))
    }
    if year != today.year:
        return {**found, "goal_people": TableYear(), "goal_results": TableYear()}
    owners = await insights_goals.people_with_goals(session, org_id=org_id, today=today)
    found["goal_people"] = tally(
        (((d, m), p, {"people": True, "with_goals": bool(has)}) for d, m, p, has in owners), month=today.month
    )
    since = datetime.combine(today, time(0), tzinfo=UTC) - RECENT
    results = await insights_goals.key_results(session, org_id=org_id, today=today, since=since)
    found["goal_results"] = tally(
        (
            (
                (row.department, row.manager_id),
                row.person_id,
                {
                    "key_results": True,
                    "updated": bool(row.updated),
                    "on_track": goal_pace.kr_status(row, row, today) == goal_pace.ON_TRACK,
                },
            )
            for row in results
        ),
        month=today.month,
    )
    return found
