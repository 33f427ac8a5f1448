"""Erasure takes people's words off the disk, not only out of the rows: SQLite zeroes what is deleted
(`secure_delete`, set by Rapport) and its write-ahead log is emptied; on PostgreSQL `--compact`
rewrites the tables, and after a checkpoint the words are in none of their files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.features.privacy.erase import erase_person
from store import people
from store.erasure_tables import TABLES
from tests.test_privacy import ALICE_WORDS, busy_quarter

WORDS = [w.encode("utf-8") for w in ALICE_WORDS]


async def erase_alice(app, org) -> None:
    async with app.db.transaction() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        assert await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="t"
        )


def sqlite_files(app) -> bytes:
    """The database file and its write-ahead log, as they are on disk now."""
    path = Path(app.db.url.split("///", 1)[1])
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


async def test_sqlite_keeps_no_erased_word_in_its_files(chat, app, org):
    if not app.db.is_sqlite:
        pytest.skip("SQLite's files")
    async with app.db.read() as session:
        assert await session.scalar(text("PRAGMA secure_delete")) == 1  # Rapport's, not the build's default
    await busy_quarter(chat)
    await app.db.checkpoint()
    assert all(w in sqlite_files(app) for w in WORDS), "the words were on disk before"
    await erase_alice(app, org)
    assert await app.db.forget_erased(tables=TABLES, compact=False)
    files = sqlite_files(app)
    assert [w for w in WORDS if w in files] == []


async def postgres_files(app, tables) -> bytes | None:
    """The files of these tables and of their TOAST tables as they are on disk after a checkpoint, or
    None when this user cannot read the server's data directory."""
    async with app.db.transaction() as session:
        await session.execute(text("CHECKPOINT"))
        root = Path(await session.scalar(text("SHOW data_directory")))
        paths = []
        for table in tables:
            oids = (
                await session.execute(
                    text(f"SELECT oid, reltoastrelid FROM pg_class WHERE oid = '{table}'::regclass")
                )
            ).one()
            for oid in filter(None, oids):
                paths.append(root / await session.scalar(text(f"SELECT pg_relation_filepath({int(oid)})")))
    if not os.access(root, os.R_OK | os.X_OK):
        return None
    segments = [s for path in paths for s in (path, *sorted(path.parent.glob(f"{path.name}.[0-9]*")))]
    return b"".join(s.read_bytes() for s in segments if s.exists())


async def test_postgres_compact_rewrites_the_tables_so_no_erased_word_stays_in_their_files(chat, app, org):
    if app.db.is_sqlite:
        pytest.skip("PostgreSQL's files")
    await busy_quarter(chat)
    before = await postgres_files(app, TABLES)
    if before is None:
        pytest.skip("this user cannot read PostgreSQL's data directory")
    assert all(w in before for w in WORDS), "the words were in the table files before"
    await erase_alice(app, org)
    left = await postgres_files(app, TABLES)
    assert any(w in left for w in WORDS), "without compaction the old row versions stay (this is why)"
    assert await app.db.forget_erased(tables=TABLES, compact=True)
    left = await postgres_files(app, TABLES)
    assert [w for w in WORDS if w in left] == []
