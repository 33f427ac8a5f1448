"""Engines and transactions.

SQLite allows one writer at a time. Letting many connections race for its write lock gave a p99 of
700 ms and a worst case of 2.7 s per insert under 64 concurrent writers (measured on a 2-core machine),
too close to Slack's 3-second limit. So on SQLite every write transaction goes through one connection,
started with `BEGIN IMMEDIATE` so it takes the lock up front and never fails half-way on a lock
upgrade; reads use a separate pool, which WAL lets run beside the writer. PostgreSQL needs none of
this and uses one ordinary pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from store import sqlite_inline

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 1.0
OPTIMIZE_EVERY_S = 3600.0


def _json_dumps(value) -> str:
    # orjson: a claimed outbox row's payload decoded in a fifth of the stdlib's time (delivery
    # reads one per message). Non-string keys are written as strings, as the stdlib did.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


JSON_CODEC = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}


def _sqlite_engine(url: str, *, begin: str, pool_size: int) -> AsyncEngine:
    engine = create_async_engine(
        make_url(url).set(drivername=f"sqlite+{sqlite_inline.dialect.driver}"),
        **JSON_CODEC,
        poolclass=AsyncAdaptedQueuePool,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=30,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Take transaction control from the sqlite3 module so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    name = make_url(url).database
    return name if name and name != ":memory:" and not name.startswith("file::memory:") else None


def _checkpoint(path: str) -> tuple[int, int, int]:
    with contextlib.closing(sqlite3.connect(path, timeout=sqlite_inline.BUSY_TIMEOUT_S)) as connection:
        return tuple(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())


class Database:
    """The composition root's handle on the database: engines and transactions, no globals."""

    def __init__(self, *, url: str, pool_size: int = 10, connect_args: dict | None = None) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.writer = _sqlite_engine(url, begin="BEGIN IMMEDIATE", pool_size=1)
            self.reader = _sqlite_engine(url, begin="BEGIN", pool_size=4)
        else:
            self.writer = create_async_engine(
                url,
                **JSON_CODEC,
                pool_size=pool_size,
                max_overflow=pool_size,
                connect_args=connect_args or {},
            )
            self.reader = self.writer
        self._write_sessions = async_sessionmaker(self.writer, expire_on_commit=False)
        self._read_sessions = async_sessionmaker(self.reader, expire_on_commit=False)
        self._upkeep: asyncio.Task | None = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self._write_sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only view; on SQLite it does not wait for the writer."""
        async with self._read_sessions() as session, session.begin():
            yield session

    async def optimize(self) -> None:
        """On SQLite, refresh the query planner's statistics where they are missing or stale, as
        SQLite advises for long-lived connections (`PRAGMA optimize`, bounded by `analysis_limit`).

        Without statistics SQLite prefers a covering index over a better one: finding the people a
        kudos names read every person of the organisation (2.4 ms at 20,000 people) instead of
        using the index on their lower-cased handle (0.2 ms). PostgreSQL keeps its own statistics.
        """
        if self.is_sqlite:
            async with self.writer.connect() as connection:
                await connection.exec_driver_sql("PRAGMA analysis_limit=400")
                await connection.exec_driver_sql("PRAGMA optimize")
                await connection.commit()

    async def start_upkeep(self, *, checkpoint_every: float = CHECKPOINT_EVERY_S) -> None:
        """On SQLite, for a long-running server: WAL checkpoints off the request path, and the
        planner's statistics refreshed every `OPTIMIZE_EVERY_S` (`optimize`).

        By default the commit that fills the write-ahead log past 1,000 pages copies it back into the
        database file and syncs it: measured, 1 commit in 70 took 3.7-5 ms instead of 0.05 ms, and
        with Rapport on the event loop's thread every request in flight waited for it. Here commits
        never checkpoint; a passive checkpoint runs every `checkpoint_every` seconds on a connection
        of its own in a worker thread, beside the writer, not in its way.
        """
        if not self.is_sqlite or self._upkeep is not None or not _sqlite_file(self.url):
            return
        async with self.writer.connect() as connection:  # the one writer connection
            await connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            await connection.commit()
        self._upkeep = asyncio.create_task(self._keep_up(checkpoint_every))

    async def checkpoint(self) -> tuple[int, int, int]:
        """A passive WAL checkpoint in a worker thread: (busy, frames in the log, frames copied)."""
        return await asyncio.to_thread(_checkpoint, _sqlite_file(self.url))

    async def _keep_up(self, checkpoint_every: float) -> None:
        loop = asyncio.get_running_loop()
        optimize_at = loop.time() + OPTIMIZE_EVERY_S
        while True:
            await asyncio.sleep(checkpoint_every)
            try:
                await self.checkpoint()
                if loop.time() >= optimize_at:
                    optimize_at = loop.time() + OPTIMIZE_EVERY_S
                    await self.optimize()
            except Exception:  # the next pass may succeed; the log only grows meanwhile
                log.warning("SQLite upkeep failed", exc_info=True)

    async def stop_upkeep(self) -> None:
        if self._upkeep is not None:
            self._upkeep.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._upkeep
            self._upkeep = None

    async def dispose(self) -> None:
        await self.stop_upkeep()  # closing the last connection checkpoints what is left
        try:
            await self.optimize()
        except Exception:  # statistics are an optimisation: closing must go on
            log.warning("could not refresh SQLite's statistics", exc_info=True)
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()
