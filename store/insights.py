"""Aggregate figures for HR: one organisation's counts over one year, never anyone's words.

People fall into *parts*, (department, manager): each part is a department's team of one manager
(or its people without a manager). Each table is read for a whole year: its counts by part and
month, and how many different people are behind them per part and month, quarter and year, so that
whichever view and period a reader asks for is a sum of the same numbers, and
`bot.anonymity.suppression` can decide what may be shown across all of them together. The counting
rules are in `bot.insights.definitions`; the indexes in `store.dashboard_models`. Here: the counting
itself; each table's rows to count (`Facts`) are built in `store.insights_facts` and
`store.insights_goals`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Person, in_org

Part = tuple[str | None, int | None]


@dataclass(frozen=True, kw_only=True)
class Facts:
    """One table's rows of the year, ready to count: joined to the person they are about (`Person`),
    with the month they belong to and what each measure counts."""

    rows: Any  # a Select of the rows' from-clause and conditions
    person: Any  # the column of the person a row is about
    month: Any  # 1-12, the month of the year the row belongs to
    measures: dict[str, Any]  # measure → condition a row is counted under


SPANS = 17  # per part, people behind: months 1-12 at 0-11, quarters 1-4 at 12-15, the year at 16


@dataclass(kw_only=True)
class TableYear:
    """A table's counts per part and month, and the different people behind them per part and span
    (a list of SPANS: each month, each quarter, the year)."""

    counts: dict[Part, dict[int, dict[str, int]]] = field(default_factory=dict)
    people: dict[Part, list[int]] = field(default_factory=dict)

    def behind(self, part: Part) -> list[int]:
        return self.people.setdefault(part, [0] * SPANS)

    def add_person(self, part: Part, months: int, *, people: int = 1) -> None:
        """One more person (or `people` more) of the part behind figures, in the months set in
        `months` (bit m-1 for month m): counted in those months, their quarters and the year."""
        behind = self.behind(part)
        for month in range(12):
            if months >> month & 1:
                behind[month] += people
        for quarter in range(4):
            if months >> (3 * quarter) & 0b111:
                behind[12 + quarter] += people
        behind[SPANS - 1] += people


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def count(session: AsyncSession, facts: Facts) -> TableYear:
    """The table's year in two GROUP BYs over the same rows: the counts by part and month, and for
    each person the months they are behind a figure in (a bit each), from which the people behind
    each month, quarter and the year are counted here."""
    found = TableYear()
    # On the session's connection, not through the ORM's result handling: plain rows (a year at 10,000
    # people is about 270,000 of them; reading it took 1.07 s of the report worker's CPU, 0.98 s so).
    connection = await session.connection()
    part = (Person.department, Person.manager_id)
    names = list(facts.measures)
    by_month = facts.rows.with_only_columns(
        *part, facts.month, *(_count_if(condition) for condition in facts.measures.values())
    ).group_by(*part, facts.month)
    for department, manager, month, *values in await connection.execute(by_month):
        found.counts.setdefault((department, manager), {})[month] = dict(
            zip(names, map(int, values), strict=True)
        )
    months = func.sum(func.distinct(literal(1).op("<<")(facts.month - 1)))  # the months, as bits
    by_person = facts.rows.with_only_columns(*part, months).group_by(Person.id, *part)
    for department, manager, bits in await connection.execute(by_person):
        found.add_person((department, manager), int(bits))
    return found


async def headcount(session: AsyncSession, *, org_id: int) -> dict[Part, int]:
    """People in each part (erased people too: they were there)."""
    rows = await session.execute(
        select(Person.department, Person.manager_id, func.count(Person.id))
        .where(Person.org_id == org_id)
        .group_by(Person.department, Person.manager_id)
    )
    return {(department, manager): n for department, manager, n in rows}


async def names(session: AsyncSession, *, org_id: int, ids: list[int]) -> dict[int, str]:
    """The names of a few people (managers whose reports are rows)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name).where(in_org(Person.org_id, org_id), Person.id.in_(ids))
    )
    return dict(rows.all())
