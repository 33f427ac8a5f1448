"""The organisation every benchmark works in."""

from __future__ import annotations

from adapters.app import App
from store.models import Organisation
from tests.support import seed_org

NO_CAP = 1_000_000_000


async def seed_bench_org(app: App, *, values: list[str]) -> Organisation:
    """Acme, seeded as in the tests, with the daily give cap lifted.

    A benchmark sends thousands of kudos from one person; with the default cap of 50 a day every
    turn after the fiftieth would be a cheap refusal instead of the whole job being measured.
    """
    org = await seed_org(app, slug="acme", values=values)
    async with app.db.transaction() as session:
        (await session.get(Organisation, org.id)).daily_give_cap = NO_CAP
    org.daily_give_cap = NO_CAP
    return org
