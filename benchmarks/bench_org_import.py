"""Importing 10,000 people: the batched import against a one-query-per-row baseline, same database.

Run `python -m benchmarks org_import`; PostgreSQL too when RAPPORT_TEST_POSTGRES_URL is set (a schema
of its own, dropped afterwards). The baseline does what a naive import would: look each email up, then
insert the person, with one statement per row.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.orgcheck import Row
from bot.orgimport import import_people
from store import orgs, people
from store.db import Database
from store.migrate import upgrade

ROWS = 10_000
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_rows(n: int, *, department: str = "Engineering") -> list[Row]:
    """n people: one in a hundred manages the next 99; every one with a Slack id and a time zone."""
    rows = []
    for i in range(n):
        manager = "" if i % 100 == 0 else f"p{i - i % 100}@example.com"
        values = {
            "email": f"p{i}@example.com",
            "name": f"Person {i}",
            "manager_email": manager,
            "department": department,
            "timezone": ("Europe/Berlin", "Asia/Shanghai", "America/New_York")[i % 3],
            "locale": ("en", "zh-Hans")[i % 2],
            "slack_user_id": f"U{i:08d}",
        }
        rows.append(Row(line=i + 2, values=values))
    return rows


async def baseline(db: Database, rows: list[Row]) -> None:
    """One lookup and one insert per row, as a naive import would do."""
    async with db.transaction() as session:
        org = await orgs.create(session, slug="baseline", name="Baseline", now=NOW)
        for row in rows:
            v = row.values
            if await people.by_email(session, org_id=org.id, email=v["email"]) is None:
                await people.create(
                    session,
                    org_id=org.id,
                    display_name=v["name"],
                    email=v["email"],
                    handle=v["email"].split("@")[0],
                    timezone=v["timezone"],
                    locale=v["locale"],
                    now=NOW,
                )


async def timed(coroutine) -> float:
    start = time.perf_counter()
    result = await coroutine
    elapsed = time.perf_counter() - start
    if result is not None and not result.ok:
        raise RuntimeError(result.problems[:3])
    return elapsed


async def measure(db: Database, label: str) -> None:
    await upgrade(db)
    rows = make_rows(ROWS)
    base = await timed(baseline(db, rows))
    first = await timed(import_people(db, slug="bench", rows=rows, now=NOW, create=True))
    again = await timed(import_people(db, slug="bench", rows=rows, now=NOW))
    moved = make_rows(ROWS, department="Platform")
    update = await timed(import_people(db, slug="bench", rows=moved, now=NOW))
    print(f"{label}: {ROWS} rows")
    print(f"  baseline, a query per row (create only): {base:6.2f} s")
    print(f"  import, new organisation:                {first:6.2f} s  ({first / base:.2f}x baseline)")
    print(f"  import again, nothing changes:           {again:6.2f} s  ({again / base:.2f}x baseline)")
    print(f"  import, every department changes:        {update:6.2f} s  ({update / base:.2f}x baseline)")


async def _main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        try:
            await measure(db, "SQLite")
        finally:
            await db.dispose()
    url = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
    if url:
        await _postgres(url)


async def _postgres(url: str) -> None:
    schema = f"rapport_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url=url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await measure(db, "PostgreSQL")
    finally:
        await db.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def run() -> None:
    asyncio.run(_main())
