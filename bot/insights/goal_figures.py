"""Goal figures (issue 18) as tables of counts for `bot.insights.figures`: who has goals this cycle,
key results updated in the last 14 days and on track (as of today, in today's month: the pace is
`bot.goal_pace`'s, the rule the goals feature reads goals with, judged in the database by
`store.insights_goals` with its constants), and the monthly goal
conversations offered and held (in the month they were offered)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace
from store import insights, insights_goals
from store.insights import Part, TableYear

RECENT = timedelta(days=14)
PACE = insights_goals.Pace(on_track_share=goal_pace.ON_TRACK_SHARE, epsilon=goal_pace.EPSILON)


def _fill(found: TableYear, part: Part, *, month: int, people: int, counts: dict[str, int]) -> None:
    """One month's counts of a part, and the different people behind them."""
    found.counts.setdefault(part, {})[month] = counts
    found.add_person(part, 1 << (month - 1), people=people)


async def tables(session: AsyncSession, *, org_id: int, year: int, today: date) -> dict[str, TableYear]:
    """The goal tables of the year: those of the cycle under way only in today's year."""
    found = {
        "goal_talks": await insights.count(session, insights_goals.talks(session, org_id=org_id, year=year)),
        "goal_people": TableYear(),
        "goal_results": TableYear(),
    }
    if year != today.year:
        return found
    owners = await insights_goals.people_with_goals(session, org_id=org_id, today=today)
    for part, (people, with_goals) in owners.items():
        counts = {"people": people, "with_goals": with_goals}
        _fill(found["goal_people"], part, month=today.month, people=people, counts=counts)
    since = datetime.combine(today, time(0), tzinfo=UTC) - RECENT
    results = await insights_goals.key_results(session, org_id=org_id, today=today, since=since, pace=PACE)
    for part, r in results.items():
        counts = {"key_results": r.key_results, "updated": r.updated, "on_track": r.on_track}
        _fill(found["goal_results"], part, month=today.month, people=r.owners, counts=counts)
    return found
