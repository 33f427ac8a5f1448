"""HR report on generated data (the digest benchmark's organisation, in ten departments), 1x vs 10x.

Times `build_report` for the whole organisation by department, for one department by team and for one
manager's team, for the quarter the data ends in, on SQLite (and PostgreSQL with
RAPPORT_TEST_POSTGRES_URL). Every view reads the whole organisation's year (two GROUP BYs per table)
and decides what to hide across all views and periods of it at once (`bot.anonymity.suppression`), so
that no view can be set against another: one team's figures grow with the organisation too. Here
every team is spread over the ten departments (a part per manager and department, about one person
each), the hardest shape for the suppression.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import String, cast, literal, update

from benchmarks.bench_digest import NOW, at_1x_and_10x, generate
from benchmarks.stats import percentile
from bot.i18n import Catalogue
from bot.insights.period import parse_period
from bot.insights.report import Scope, build_report
from store import orgs, people
from store.db import Database
from store.models import Person

ROUNDS = 5
PERIOD = "2027-Q1"


async def measure(db: Database, n: int) -> dict:
    await generate(db, n)
    async with db.transaction() as session:
        await session.execute(
            update(Person).values(department=literal("Dept ") + cast(Person.id % 10, String))
        )
    t = Catalogue.load().messages("en")
    out = {"n": n}
    async with db.read() as session:
        org = await orgs.by_slug(session, "big")
        manager = await people.by_id(session, org_id=org.id, person_id=1)
    scopes = {
        "organisation": Scope(kind="organisation"),
        "department": Scope(kind="department", department="Dept 3"),
        "team": Scope(kind="team", manager=manager),
    }
    for name, scope in scopes.items():
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            async with db.read() as session:
                await build_report(
                    session,
                    org=org,
                    scope=scope,
                    period=parse_period(PERIOD),
                    t=t,
                    today=NOW.date(),
                    threshold=3,
                )
            samples.append((time.perf_counter() - start) * 1000)
        out[name] = percentile(samples, 50)
    return out


def _print(backend: str, small: dict, big: dict) -> None:
    for r in (small, big):
        print(
            f"  {backend} {r['n']:>6} people: organisation {r['organisation']:7.1f} ms, "
            f"department {r['department']:7.1f} ms, team {r['team']:7.1f} ms (median of {ROUNDS})"
        )
    ratios = ", ".join(f"{k} {big[k] / small[k]:.2f}x" for k in ("organisation", "department", "team"))
    print(f"  {backend} ratio 10x/1x: {ratios}")


def run() -> None:
    asyncio.run(at_1x_and_10x(measure, _print))
