"""SQLite for SQLAlchemy's asyncio extension, run on the event loop's own thread.

aiosqlite hands every call (cursor, execute, fetch, close, commit) to a worker thread and back: four
hand-offs per statement. Measured on a 2-core machine, `SELECT 1` through SQLAlchemy cost 262 µs of
CPU on aiosqlite and 13 µs on the plain sqlite3 module; a kudos turn sends ten statements, so the
hand-offs were most of its CPU. SQLite is a library in this process and its statements on Rapport's
tables take microseconds, so this driver calls sqlite3 directly and yields to the loop only where
SQLite would otherwise block the whole thread: waiting for another process's write lock. The
connection's own busy timeout is 0; a busy database is retried here with `asyncio.sleep` between
attempts, for up to `BUSY_TIMEOUT_S` as SQLite's busy handler would.

`store.db.Database` uses this dialect for every SQLite URL (`sqlite+aiosqlite://` included); the
name it registers is `sqlite+inline`.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from typing import Any

from sqlalchemy import util
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_cursor
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_dbapi,
    SQLiteDialect_aiosqlite,
)
from sqlalchemy.util.concurrency import await_

BUSY_TIMEOUT_S = 5.0
_FIRST_WAIT_S = 0.001
# At most 5 ms between attempts: SQLite queues nobody, so a process that slept 50 ms missed every gap
# another process's back-to-back writes left (`rapport serve --workers`: the server's kudos waited up
# to 4.5 s behind a worker's fan-out). An attempt that fails costs microseconds.
_LONGEST_WAIT_S = 0.005


async def _retrying_busy(call, *args) -> Any:
    """`call(*args)`, retried while another connection holds the lock SQLite needs.

    Waits with `asyncio.sleep` (the loop keeps serving other requests), doubling from 1 ms to at
    most 5 ms, and gives up with SQLite's own error after `BUSY_TIMEOUT_S`. Awaited through
    SQLAlchemy's `await_`, which also satisfies its check that an async driver did suspend.
    """
    deadline = None
    wait = _FIRST_WAIT_S
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
            now = time.monotonic()
            deadline = deadline or now + BUSY_TIMEOUT_S
            if now >= deadline:
                raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, _LONGEST_WAIT_S)


class InlineCursor(AsyncAdapt_dbapi_cursor):
    """A sqlite3 cursor behind SQLAlchemy's async cursor interface, with rows fetched at execute."""

    __slots__ = ()
    _awaitable_cursor_close = False

    def _aenter_cursor(self, cursor: sqlite3.Cursor) -> sqlite3.Cursor:
        return cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            await_(_retrying_busy(self._cursor.execute, operation, () if parameters is None else parameters))
            if self._cursor.description:
                self._rows = collections.deque(self._cursor.fetchall())
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            await_(_retrying_busy(self._cursor.executemany, operation, seq_of_parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class InlineConnection(AsyncAdapt_aiosqlite_connection):
    """A sqlite3 connection adapted the way SQLAlchemy adapts aiosqlite's, minus the thread."""

    __slots__ = ()
    _cursor_cls = InlineCursor
    _ss_cursor_cls = InlineCursor

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._connection.isolation_level = value

    def create_function(self, *args: Any, **kw: Any) -> None:
        self._connection.create_function(*args, **kw)

    def rollback(self) -> None:
        try:
            self._connection.rollback()
        except Exception as error:
            self._handle_exception(error)

    def commit(self) -> None:
        try:
            await_(_retrying_busy(self._connection.commit))
        except Exception as error:
            self._handle_exception(error)

    def close(self) -> None:
        self._connection.close()

    def terminate(self) -> None:
        self._connection.close()


class InlineDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self) -> None:
        super().__init__(sqlite3, sqlite3)

    def connect(self, *args: Any, **kw: Any) -> InlineConnection:
        kw.pop("async_creator_fn", None)
        # Used only from the loop's thread; the pool may close it from the garbage collector's.
        kw["check_same_thread"] = False
        kw["timeout"] = 0  # a busy database is waited for in `_retrying_busy`, not inside SQLite
        return InlineConnection(self, sqlite3.connect(*args, **kw))


class SQLiteDialect_inline(SQLiteDialect_aiosqlite):
    driver = "inline"
    supports_statement_cache = True
    supports_server_side_cursors = False
    has_terminate = True

    @classmethod
    def import_dbapi(cls) -> InlineDBAPI:
        return InlineDBAPI()

    def retrieve_dbapi_version(self, dbapi) -> util.VersionInfo:
        return util.parse_version_string(sqlite3.sqlite_version)


registry.register("sqlite.inline", __name__, "SQLiteDialect_inline")
dialect = SQLiteDialect_inline
