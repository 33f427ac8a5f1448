"""Fixtures: a migrated database on SQLite and (with RAPPORT_TEST_POSTGRES_URL) PostgreSQL, the app,
and the `chat` transcript fixture over the console adapter."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.app import build_app
from bot.clock import ManualClock
from bot.settings import Settings
from store.db import Database
from store.migrate import upgrade
from tests.support import Chat, seed_org

POSTGRES_URL = os.environ.get("RAPPORT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


def _run(coroutine) -> None:
    """Run a coroutine to completion from a session fixture, which may be set up inside a test's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _migrated(url: str, **kwargs) -> None:
    async def run() -> None:
        db = Database(url=url, **kwargs)
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    _run(run())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """One SQLite file migrated with the real Alembic migrations; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrated(f"sqlite+aiosqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def postgres_schema():
    """A schema of our own for this run, migrated once; dropped at the end. An unreachable server
    fails the run rather than skipping it."""
    schema = f"rapport_test_{uuid.uuid4().hex[:12]}"

    async def execute(sql: str) -> None:
        engine = create_async_engine(POSTGRES_URL)
        async with engine.begin() as conn:
            await conn.execute(text(sql))
        await engine.dispose()

    _run(execute(f'CREATE SCHEMA "{schema}"'))
    _migrated(POSTGRES_URL, connect_args=_search_path(schema))
    yield schema
    _run(execute(f'DROP SCHEMA "{schema}" CASCADE'))


def _search_path(schema: str) -> dict:
    return {"server_settings": {"search_path": schema}}


async def _truncate_all(db: Database, schema: str) -> None:
    async with db.transaction() as session:
        tables = (
            await session.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = :s AND tablename <> 'alembic_version'"
                ),
                {"s": schema},
            )
        ).scalars()
        names = ", ".join(f'"{schema}"."{t}"' for t in tables)
        if names:
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@contextlib.asynccontextmanager
async def database_at(revision: str, *, backend: str, tmp_path):
    """A database of its own migrated to `revision` only (PostgreSQL in a schema of its own, dropped
    after), for testing a migration's upgrade and downgrade."""
    if backend == "sqlite":
        db = Database(url=f"sqlite+aiosqlite:///{tmp_path / f'at_{revision}.db'}")
        await upgrade(db, revision)
        yield db
        await db.dispose()
        return
    schema = f"rapport_{revision}_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url=POSTGRES_URL, connect_args=_search_path(schema))
    try:
        await upgrade(db, revision)
        yield db
    finally:
        await db.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture(params=BACKENDS)
async def db(request, tmp_path):
    """A migrated, empty database of its own for each test."""
    if request.param == "sqlite":
        path = tmp_path / "rapport.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        database = Database(url=f"sqlite+aiosqlite:///{path}")
        yield database
        await database.dispose()
        return
    schema = request.getfixturevalue("postgres_schema")
    database = Database(url=POSTGRES_URL, connect_args=_search_path(schema))
    try:
        yield database
    finally:
        await _truncate_all(database, schema)
        await database.dispose()


@pytest.fixture
def demo_cli(sqlite_template, tmp_path, monkeypatch):
    """The command line's database: a migrated SQLite copy holding the demo organisation, in a
    working directory of the test's own (no stray .env). Its path."""
    from adapters.cli import main

    path = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    assert main(["demo-org"]) == 0
    return path


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
async def app(db, clock):
    return build_app(Settings(database_url=db.url, org="acme"), clock=clock, db=db)


@pytest.fixture
async def org(app):
    """The Acme organisation: Carol manages Alice, Bob and Wei (Chinese); Dan manages Erin."""
    return await seed_org(app, slug="acme", values=["ownership", "teamwork", "customer"])


@pytest.fixture
async def chat(app, org) -> Chat:
    chat = Chat(app=app, org="acme")
    await chat.open()
    return chat
