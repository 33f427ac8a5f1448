"""Review digests with goals (issue 18): 5 objectives × 4 key results × 13 weekly updates per person.

An organisation of managers with twelve reports each, every person with five objectives of four key
results, each updated weekly for thirteen weeks: at 10x (the issue's size) 10,000 people, 50,000
objectives, 200,000 key results and 2,600,000 updates; 1x is a tenth of it, measured in the same run as
the baseline. One manager's twelve digests are built five times at each size (target: p95 under 50 ms
at 10x, and the ratio to 1x near 1: the goals part costs per person, not per organisation). PostgreSQL
runs too when RAPPORT_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, timedelta

from sqlalchemy import text

from benchmarks.bench_digest import NOW, TEAM, _bulk, _people, at_1x_and_10x, one_manager, upcoming
from benchmarks.stats import percentile
from bot.i18n import Catalogue
from store import orgs
from store.db import Database
from store.goal_models import GoalUpdate, KeyResult, Objective
from store.models import Person

OBJECTIVES, KEY_RESULTS, WEEKS = 5, 4, 13
CYCLE = (date(2026, 12, 1), date(2027, 3, 31))


def _objectives(n: int):
    for person in range(1, n + 1):
        for j in range(OBJECTIVES):
            yield dict(
                id=(person - 1) * OBJECTIVES + j + 1,
                org_id=1,
                owner_id=person,
                creator_id=person,
                level="person",
                title=f"Objective {j} of {person}",
                cycle_start=CYCLE[0],
                cycle_end=CYCLE[1],
                status="open",
                source="command",
                created_at=NOW - timedelta(weeks=WEEKS + 1),
                updated_at=NOW,
            )


def _key_results(n: int):
    for objective in range(1, n * OBJECTIVES + 1):
        for k in range(KEY_RESULTS):
            yield dict(
                id=(objective - 1) * KEY_RESULTS + k + 1,
                org_id=1,
                objective_id=objective,
                position=k + 1,
                title=f"Key result {k}",
                kind="number",
                start_value=0.0,
                target_value=40.0,
                current_value=float(2 * WEEKS - (objective + k) % 7),
                unit="customers",
                confidence=5 + (objective + k) % 5,
                status="open",
                created_at=NOW - timedelta(weeks=WEEKS + 1),
                updated_at=NOW,
            )


def _updates(n: int):
    for result in range(1, n * OBJECTIVES * KEY_RESULTS + 1):
        for week in range(WEEKS):
            yield dict(
                org_id=1,
                key_result_id=result,
                actor_id=None,
                value=float(2 * week),
                confidence=5 + (result + week) % 5,
                note="steady" if week % 4 == 0 else None,
                done=False,
                created_at=NOW - timedelta(weeks=WEEKS - week, hours=result % 24),
            )


async def generate(db: Database, n: int) -> None:
    async with db.transaction() as session:
        await orgs.create(session, slug="big", name="Big", now=NOW)
    await _bulk(db, Person, _people(n, NOW))
    await _bulk(db, Objective, _objectives(n))
    await _bulk(db, KeyResult, _key_results(n))
    await _bulk(db, GoalUpdate, _updates(n))
    if db.url.startswith("postgresql"):
        async with db.transaction() as session:
            await session.execute(text("ANALYZE"))


async def measure(db: Database, n: int) -> dict:
    start = time.perf_counter()
    await generate(db, n)
    built = time.perf_counter() - start
    team = list(range(2, 2 + TEAM))  # manager 1's twelve reports
    samples, peak = await one_manager(db, Catalogue.load(), await upcoming(db, team))
    return {
        "n": n,
        "built": built,
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "peak": peak,
    }


def _report(backend: str, small: dict, big: dict) -> None:
    for r in (small, big):
        print(
            f"  {backend} {r['n']:>6} people: generated in {r['built']:5.0f} s; one manager's digest with goals "
            f"p50 {r['p50']:6.1f} ms p95 {r['p95']:6.1f} ms; peak memory {r['peak'] / 1e6:5.2f} MB"
        )
    print(
        f"  {backend} ratio 10x/1x: p95 {big['p95'] / small['p95']:.2f}x, p50 {big['p50'] / small['p50']:.2f}x, "
        f"memory {big['peak'] / small['peak']:.2f}x (targets: p95 < 50 ms at 10x, near 1x, flat memory)"
    )


def run() -> None:
    asyncio.run(at_1x_and_10x(measure, _report))
