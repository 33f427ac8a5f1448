"""The demo organisation: about ten people in two departments, seeded through the ordinary org import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.checkins.schedule_text import Wanted
from bot.checkins.team import apply_schedule
from bot.orgcheck import COLUMNS, Row
from bot.orgimport import ImportResult, import_rows
from store import orgs
from store.db import Database

SLUG = "demo"
NAME = "Demo Co"
VALUES = ["ownership", "teamwork", "customer"]

# email, name, manager_email, department, timezone, locale
PEOPLE = [
    ("carol@example.com", "Carol Jones", "", "Engineering", "Europe/London", "en"),
    ("alice@example.com", "Alice Smith", "carol@example.com", "Engineering", "Europe/London", "en"),
    ("bob@example.com", "Bob Brown", "carol@example.com", "Engineering", "Europe/Dublin", "en"),
    ("wei@example.com", "张伟", "carol@example.com", "Engineering", "Asia/Shanghai", "zh-Hans"),
    ("priya@example.com", "Priya Patel", "carol@example.com", "Engineering", "Asia/Kolkata", "en"),
    ("omar@example.com", "Omar Haddad", "carol@example.com", "Engineering", "Europe/Paris", "en"),
    ("dan@example.com", "Dan Lee", "", "Sales", "America/New_York", "en"),
    ("erin@example.com", "Erin Park", "dan@example.com", "Sales", "Europe/Berlin", "en"),
    ("felix@example.com", "Felix Wong", "dan@example.com", "Sales", "Australia/Sydney", "en"),
    ("grace@example.com", "Grace Kim", "dan@example.com", "Sales", "America/Los_Angeles", "en"),
]


@dataclass(frozen=True, kw_only=True)
class DemoSeed:
    """What seeding did: the import's counts, and whether the company values had to be set."""

    result: ImportResult
    values_set: bool
    schedules_set: int = 0

    @property
    def changed(self) -> bool:
        return self.result.changed or self.values_set or bool(self.schedules_set)


def rows() -> list[Row]:
    """The demo people as import rows, numbered as the lines of the equivalent CSV file."""
    return [Row(line=n, values=dict(zip(COLUMNS, person, strict=True))) for n, person in enumerate(PEOPLE, 2)]


async def seed_demo(db: Database, *, now: datetime) -> DemoSeed:
    """Create or bring back the demo organisation, its people and its company values, idempotently."""
    async with db.transaction() as session:
        result = await import_rows(session, slug=SLUG, rows=rows(), now=now, create=True, name=NAME)
        if not result.ok:  # the demo data is ours; a problem here is a bug, not an operator's mistake
            raise ValueError("; ".join(map(str, result.problems)))
        org = await orgs.by_slug(session, SLUG)
        values_set = org.company_values != VALUES
        if values_set:
            await orgs.set_company_values(session, org_id=org.id, values=VALUES)
        # Everyone is asked for a check-in on Fridays at 16:00 their time, so `:tick` shows prompts.
        wanted = Wanted(cadence="weekly", weekday=4, hour=16, minute=0)
        applied = await apply_schedule(session, org_id=org.id, wanted=wanted, now=now)
    return DemoSeed(result=result, values_set=values_set, schedules_set=applied.set)
