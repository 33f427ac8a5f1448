"""HR figures with goals (issue 18) at 10,000 people: what the goal tables add to a year's figures.

The digest benchmark's organisation (a year of check-ins, kudos, reviews and actions) is generated at
10,000 people and its year's figures (`bot.insights.figures.load_year`, what the dashboard and
`rapport report` compute) are timed: first without any goals, the baseline, then again once every
person has 5 objectives × 4 key results of the cycle under way, each updated four times (the latest
between 1 and 27 days ago, so about half count as updated lately). The ratio with/without is what
the goals add. Both are measured in the same run, median of ROUNDS; PostgreSQL runs too when
RAPPORT_TEST_POSTGRES_URL is set.

With RAPPORT_BENCH_GOAL_FIGURES_ONLY=1 only the people and their goals are generated and only the goal
tables (`bot.insights.goal_figures.tables`) are timed, with no baseline: a short run to set one version
of the goal figures against another.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from datetime import timedelta

from sqlalchemy import text

from benchmarks.bench_digest import NOW, _bulk, _people, _postgres, _sqlite, generate
from benchmarks.bench_goal_digest import KEY_RESULTS, OBJECTIVES, _key_results, _objectives
from benchmarks.stats import percentile
from bot.insights import goal_figures
from bot.insights.figures import load_year
from store import orgs
from store.db import Database
from store.goal_models import GoalUpdate, KeyResult, Objective
from store.models import Person

PEOPLE = int(os.environ.get("RAPPORT_BENCH_GOAL_FIGURES_PEOPLE", "10000"))
ROUNDS = 3
GOALS_ONLY = os.environ.get("RAPPORT_BENCH_GOAL_FIGURES_ONLY") == "1"
UPDATES = 4


def _updates(n: int):
    for result in range(1, n * OBJECTIVES * KEY_RESULTS + 1):
        latest = 1 + result % 27  # days ago
        for k in range(UPDATES):
            yield dict(
                org_id=1,
                key_result_id=result,
                actor_id=None,
                value=float(2 * (UPDATES - k)),
                confidence=5 + (result + k) % 5,
                note=None,
                done=False,
                created_at=NOW - timedelta(days=latest + 7 * k, hours=result % 24),
            )


async def _figures(db: Database) -> list[float]:
    async with db.read() as session:
        org = await orgs.by_slug(session, "big")
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        async with db.read() as session:
            if GOALS_ONLY:
                await goal_figures.tables(session, org_id=org.id, year=NOW.year, today=NOW.date())
            else:
                await load_year(session, org_id=org.id, year=NOW.year, today=NOW.date(), threshold=3)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def measure(db: Database, n: int) -> dict:
    if GOALS_ONLY:
        async with db.transaction() as session:
            await orgs.create(session, slug="big", name="Big", now=NOW)
        await _bulk(db, Person, _people(n, NOW))
        without = [float("nan")]
    else:
        await generate(db, n)
        without = await _figures(db)
    await _bulk(db, Objective, _objectives(n))
    await _bulk(db, KeyResult, _key_results(n))
    await _bulk(db, GoalUpdate, _updates(n))
    if db.url.startswith("postgresql"):
        async with db.transaction() as session:
            await session.execute(text("ANALYZE"))
    with_goals = await _figures(db)
    return {"n": n, "without": percentile(without, 50), "with": percentile(with_goals, 50)}


def _print(backend: str, r: dict) -> None:
    if GOALS_ONLY:
        print(
            f"  {backend} {r['n']:>6} people: the goal tables alone {r['with']:7.1f} ms (median of {ROUNDS})"
        )
        return
    print(
        f"  {backend} {r['n']:>6} people, {r['n'] * OBJECTIVES * KEY_RESULTS} key results: a year's HR figures "
        f"without goals {r['without']:7.1f} ms, with goals {r['with']:7.1f} ms (median of {ROUNDS}); "
        f"goals add {r['with'] - r['without']:7.1f} ms, ratio {r['with'] / r['without']:.2f}x"
    )


async def _run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _print("sqlite", await _sqlite(PEOPLE, folder, measure))
    url = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
    if url:
        _print("postgresql", await _postgres(url, PEOPLE, measure))


def run() -> None:
    asyncio.run(_run())
