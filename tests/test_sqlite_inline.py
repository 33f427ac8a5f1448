"""SQLite on the event loop's thread: a database locked by another process is waited for without
stopping the loop, and given up on with SQLite's own error after the busy timeout."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from sqlalchemy import text

from store import sqlite_inline
from store.db import Database


@pytest.fixture
async def database(tmp_path):
    path = tmp_path / "locked.db"
    db = Database(url=f"sqlite+aiosqlite:///{path}")
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield db, path
    await db.dispose()


def _hold_write_lock(path) -> sqlite3.Connection:
    """Another program (a `rapport` command run beside the server) in the middle of a write."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO notes (body) VALUES ('from the other program')")
    return other


async def test_a_write_waits_for_another_program_and_the_loop_keeps_serving(database):
    db, path = database
    other = _hold_write_lock(path)
    ticks = 0

    async def serve_others() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    async def write() -> None:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('from rapport')"))

    server = asyncio.create_task(serve_others())
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not writing.done()  # still waiting for the lock...
    assert ticks >= 10  # ...while the loop went on serving everything else
    other.commit()
    await asyncio.wait_for(writing, timeout=2)
    server.cancel()
    async with db.read() as session:
        bodies = (await session.scalars(text("SELECT body FROM notes ORDER BY id"))).all()
    assert bodies == ["from the other program", "from rapport"]
    other.close()


async def test_a_lock_held_past_the_busy_timeout_fails_with_sqlites_error(database, monkeypatch):
    db, path = database
    monkeypatch.setattr(sqlite_inline, "BUSY_TIMEOUT_S", 0.2)
    other = _hold_write_lock(path)
    with pytest.raises(Exception, match="database is locked"):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO notes (body) VALUES ('never written')"))
    other.rollback()
    other.close()
    async with db.read() as session:
        assert (await session.scalar(text("SELECT count(*) FROM notes"))) == 0


async def test_a_server_checkpoints_the_log_in_the_background_not_in_its_commits(database):
    db, _path = database

    async def write(rows: int) -> None:
        for _ in range(rows):
            async with db.transaction() as session:
                await session.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": "x" * 8000})

    await write(50)
    busy, frames, copied = await db.checkpoint()
    assert (busy, copied) == (0, frames)  # a checkpoint copies the whole log

    await db.start_upkeep(checkpoint_every=3600)  # the background pass is not due during this test
    await write(600)
    busy, frames, copied = await db.checkpoint()
    # No commit checkpointed: the log grew past SQLite's 1,000-page automatic checkpoint.
    assert frames > 1000 and (busy, copied) == (0, frames)
    await db.stop_upkeep()

    await db.start_upkeep(checkpoint_every=0.05)
    await write(5)
    await asyncio.sleep(0.3)
    assert db._upkeep is not None and not db._upkeep.done()  # still running, no error
    await db.stop_upkeep()
