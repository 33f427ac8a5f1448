"""HR report on generated data (the digest benchmark's organisation, in ten departments), 1x vs 10x.

Times `build_report` for the whole organisation by department, for one department by team and for one
manager's team, for the quarter the data ends in, on SQLite (and PostgreSQL with
RAPPORT_TEST_POSTGRES_URL). The organisation-wide figures read every row of the period once (one GROUP
BY per table), so they grow with the organisation; one team's figures should not.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time

from sqlalchemy import String, cast, literal, update

from benchmarks.bench_digest import BASE_PEOPLE, NOW, _postgres, _sqlite, generate
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


async def _main() -> None:
    # The digest benchmark's helpers measure digests; swap in this module's measurement.
    import benchmarks.bench_digest as digest_bench

    digest_bench.measure = measure
    with tempfile.TemporaryDirectory() as folder:
        small, big = await _sqlite(BASE_PEOPLE, folder), await _sqlite(10 * BASE_PEOPLE, folder)
        _print("sqlite", small, big)
    url = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
    if url:
        small, big = await _postgres(url, BASE_PEOPLE), await _postgres(url, 10 * BASE_PEOPLE)
        _print("postgresql", small, big)


def run() -> None:
    asyncio.run(_main())
