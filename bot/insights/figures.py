"""One organisation's HR figures for one year, and which of them may be shown.

Every view (the organisation, a department, a team) and every period of a year (a month, a quarter,
the year) is summed from the same counts per part and month, read once, and shown or hidden by the
same `bot.anonymity.suppression.Protection` per family of figures: so no two views of the year can
be set against each other to give away what one of them hides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.anonymity.groups import Counts, Part
from bot.anonymity.suppression import Protection, protect
from bot.insights import goal_figures
from bot.insights.definitions import FAMILIES
from store import insights, insights_facts


@dataclass(frozen=True, kw_only=True)
class Year:
    """Counts per table, part and month; who is in which part; what each family may show."""

    year: int
    sizes: dict[Part, int]
    tables: dict[str, insights.TableYear]
    protections: dict[str, Protection]
    _totals: dict = field(default_factory=dict, compare=False, repr=False)

    def sums(self, table: str, parts: Iterable[Part], months: frozenset[int]) -> dict[str, int]:
        """A table's counts added up over these parts and months."""
        totals = self._period(table, months)
        found: dict[str, int] = {}
        for part in parts:
            for measure, n in totals.get(part, {}).items():
                found[measure] = found.get(measure, 0) + n
        return found

    def _period(self, table: str, months: frozenset[int]) -> dict[Part, dict[str, int]]:
        """Per part, the table's counts over these months (added up once per table and period)."""
        key = (table, months)
        if key not in self._totals:
            totals: dict[Part, dict[str, int]] = {}
            for part, by_month in self.tables[table].counts.items():
                found = totals[part] = {}
                for month, values in by_month.items():
                    if month in months:
                        for measure, n in values.items():
                            found[measure] = found.get(measure, 0) + n
            self._totals[key] = totals
        return self._totals[key]

    def shows(self, family: str, parts: Iterable[Part], months: frozenset[int]) -> bool:
        return self.protections[family].shows(parts, months)


async def load_year(session: AsyncSession, *, org_id: int, year: int, today: date, threshold: int) -> Year:
    """Read a year's counts (two GROUP BYs per table; goals: `goal_figures`) and decide what may be
    shown of them."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    start_at, end_at = (datetime.combine(d, time(0), tzinfo=UTC) for d in (start, end))
    facts = {
        "checkins": insights_facts.checkins(session, org_id=org_id, start=start, end=end),
        "reviews": insights_facts.reviews(session, org_id=org_id, start=start_at, end=end_at),
        "records": insights_facts.records(session, org_id=org_id, start=start_at, end=end_at),
        "actions": insights_facts.actions(session, org_id=org_id, start=start, end=end, today=today),
        "kudos_given": insights_facts.kudos_given(session, org_id=org_id, start=start_at, end=end_at),
        "kudos_received": insights_facts.kudos_received(session, org_id=org_id, start=start_at, end=end_at),
    }
    tables = {key: await insights.count(session, found) for key, found in facts.items()}
    tables.update(await goal_figures.tables(session, org_id=org_id, year=year, today=today))
    sizes = await insights.headcount(session, org_id=org_id)
    protections = {
        family: protect(_counts(sizes, [tables[t] for t in members]), threshold=threshold)
        for family, members in FAMILIES.items()
    }
    return Year(year=year, sizes=sizes, tables=tables, protections=protections)


def _counts(sizes: dict[Part, int], tables: list[insights.TableYear]) -> Counts:
    return Counts(size=sizes, people=[table.people for table in tables])
