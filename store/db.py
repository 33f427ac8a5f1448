"""Engines and transactions.

SQLite allows one writer at a time. Letting many connections race for its write lock gave a p99 of
700 ms and a worst case of 2.7 s per insert under 64 concurrent writers (measured on a 2-core machine),
too close to the 3 seconds a chat platform waits for an answer. So on SQLite every write transaction goes through one connection,
started with `BEGIN IMMEDIATE` so it takes the lock up front and never fails half-way on a lock
upgrade; reads use a separate pool, which WAL lets run beside the writer. PostgreSQL needs none of
this and uses one ordinary pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
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
# A statement's parameters are people's words: an error names the statement, never its values.
ENGINE_OPTIONS = {**JSON_CODEC, "hide_parameters": True}


# asyncpg's refusal of a parameter quotes it: "invalid input for query argument $1: 'words' (...)".
_QUOTED_ARGUMENT = re.compile(r"(query argument \$\d+):.*", re.S)


def _withhold_details(context) -> None:
    """A database error says which constraint, column or parameter, never whose values: PostgreSQL's
    DETAIL ("Key (org_id, email)=(1, ann@example.com) already exists", "Failing row contains (...)")
    and HINT, and a refused parameter's value, go before the error reaches a log. Its message, code and
    constraint name stay."""
    chain, error = [], context.original_exception
    while error is not None:
        chain.append(error)
        error = error.__cause__ or error.__context__
    for error in chain:  # the driver's errors (SQLAlchemy's own `detail` is something else)
        for field in ("detail", "hint"):
            if isinstance(getattr(error, field, None), str):
                setattr(error, field, None)
    for error in filter(None, (context.sqlalchemy_exception, *chain)):
        if error.args and isinstance(error.args[0], str) and _QUOTED_ARGUMENT.search(error.args[0]):
            error.args = (_QUOTED_ARGUMENT.sub(r"\1 (its value withheld)", error.args[0]), *error.args[1:])
            if error is not context.sqlalchemy_exception:  # below it: the encoder's complaint, quoting again
                error.__cause__, error.__context__, error.__suppress_context__ = None, None, True


def _guard(engine: AsyncEngine) -> AsyncEngine:
    event.listen(engine.sync_engine, "handle_error", _withhold_details)
    return engine


def _sqlite_engine(url: str, *, begin: str, pool_size: int) -> AsyncEngine:
    engine = create_async_engine(
        make_url(url).set(drivername=f"sqlite+{sqlite_inline.dialect.driver}"),
        **ENGINE_OPTIONS,
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
        # Deleted and overwritten content is zeroed in the file, not left in free pages: an erased
        # person's words must leave the disk, whatever this SQLite build's default is.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql(begin)

    return _guard(engine)


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL; None for an in-memory database."""
    name = make_url(url).database
    return name if name and name != ":memory:" and not name.startswith("file::memory:") else None


def _checkpoint(path: str) -> tuple[int, int, int]:
    with contextlib.closing(sqlite3.connect(path, timeout=sqlite_inline.BUSY_TIMEOUT_S)) as connection:
        return tuple(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())


def _empty_the_log(path: str, *, compact: bool) -> bool:
    """Copy the write-ahead log into the file and truncate it to nothing, so that the old page images
    it holds (an erased person's words among them) leave the disk; with `compact`, VACUUM first. False
    when a reader kept the log busy for the whole `BUSY_TIMEOUT_S`."""
    with contextlib.closing(sqlite3.connect(path, timeout=sqlite_inline.BUSY_TIMEOUT_S)) as connection:
        connection.isolation_level = None
        connection.execute("PRAGMA secure_delete=ON")
        if compact:
            connection.execute("VACUUM")
        deadline = time.monotonic() + sqlite_inline.BUSY_TIMEOUT_S
        while connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True


class Database:
    """The composition root's handle on the database: engines and transactions, no globals."""

    def __init__(self, *, url: str, pool_size: int = 10, connect_args: dict | None = None) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.writer = _sqlite_engine(url, begin="BEGIN IMMEDIATE", pool_size=1)
            self.reader = _sqlite_engine(url, begin="BEGIN", pool_size=4)
        else:
            self.writer = _guard(
                create_async_engine(
                    url,
                    **ENGINE_OPTIONS,
                    pool_size=pool_size,
                    max_overflow=pool_size,
                    connect_args=connect_args or {},
                )
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

    async def forget_erased(self, *, tables: Sequence[str], compact: bool) -> bool:
        """After an erasure, take what was erased out of the database's files as far as the database
        can: on SQLite (which zeroes deleted content, `secure_delete`), empty the write-ahead log,
        and with `compact` rebuild the file; on PostgreSQL, with `compact`, rewrite `tables` (VACUUM
        FULL: each table is locked while it is rewritten) and checkpoint, so that the old table files
        go. What stays elsewhere (PostgreSQL's WAL, backups) is in the README.

        Returns:
            False when it could not all be done now (a busy SQLite reader, or no right to CHECKPOINT).
        """
        if self.is_sqlite:
            path = _sqlite_file(self.url)
            return path is None or await asyncio.to_thread(_empty_the_log, path, compact=compact)
        if not compact:
            return True
        async with self.writer.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables:
                await connection.exec_driver_sql(f'VACUUM FULL "{table}"')  # our own tables' names
            try:
                await connection.exec_driver_sql("CHECKPOINT")
            except DBAPIError:  # superusers and pg_checkpoint only; the server checkpoints on its own
                return False
        return True

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
