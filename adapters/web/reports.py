"""The dashboard's figures, computed in a process of their own so that the server keeps answering.

With 10,000 people a page of figures took 1.5-2.5 s of CPU on SQLite (the year's GROUP BYs, then
deciding what to hide across every view: `bot.anonymity.suppression`). SQLite runs on the event
loop's thread (`store.sqlite_inline`), so each page load held every Slack request for that long;
in a thread it would hold them too, one statement at a time: the sqlite3 module lets go of the GIL
around each statement and waits up to 5 ms to get it back from a thread that computes. So a worker
process computes them, with its own database connections (WAL lets it read beside the server's
writer; on PostgreSQL it is one more client), one page at a time.

A page asked for while the same page is queued (not yet begun) waits for that computation: it reads
the data as it is after the request came, as a computation of its own would. So HR reloading a page
every second costs one computation at a time, not a growing queue.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date

from bot.i18n import Catalogue
from bot.insights.period import Period
from bot.insights.report import Report, Scope, build_report
from store import orgs, people
from store.db import Database

WORKERS = 1  # pages are computed one after another: HR's figures never take more than one core
NICE = 10


@dataclass(frozen=True, kw_only=True)
class Ask:
    """Which figures a page shows: sent to the worker, so plain values only."""

    org_id: int
    kind: str
    department: str | None
    manager_id: int | None
    period: Period
    periods: int  # the period and the ones before it, for a trend
    lang: str
    today: date
    threshold: int


class _Worker:
    """What a worker process keeps between computations: its loop, database and catalogue."""

    loop: asyncio.AbstractEventLoop
    db: Database
    catalogue: Catalogue


_worker = _Worker()  # in a worker process only: ProcessPoolExecutor's initializer sets it up


def start_worker(url: str, connect_args: dict) -> None:
    # Below the server in the CPU's queue: on a busy machine Slack's 3 seconds come first, and HR's
    # page waits a little longer.
    os.nice(NICE)
    _worker.loop = asyncio.new_event_loop()
    asyncio.set_event_loop(_worker.loop)
    _worker.db = Database(url=url, connect_args=connect_args)
    _worker.catalogue = Catalogue.load()


def compute(ask: Ask) -> list[Report]:
    """In the worker: the reports of `ask.periods` periods ending with `ask.period`, oldest first.
    Their scope is left out (it holds a database row); the server puts its own back."""
    return _worker.loop.run_until_complete(_reports(ask))


async def _reports(ask: Ask) -> list[Report]:
    t = _worker.catalogue.messages(ask.lang)
    async with _worker.db.read() as session:
        org = await orgs.by_id(session, ask.org_id)
        manager = None
        if ask.manager_id is not None:
            manager = await people.by_id(session, org_id=ask.org_id, person_id=ask.manager_id)
        scope = Scope(kind=ask.kind, department=ask.department, manager=manager)
        years: dict = {}  # each year's figures are read once for all the periods
        reports = [
            await build_report(
                session,
                org=org,
                scope=scope,
                period=p,
                t=t,
                today=ask.today,
                threshold=ask.threshold,
                years=years,
            )
            for p in ask.period.trend(ask.periods)
        ]
    return [replace(report, scope=None) for report in reports]


@dataclass(kw_only=True)
class _Queued:
    computation: asyncio.Future
    askers: int = 1


class ReportWorker:
    """The server's side: `reports(ask, scope)` from the worker process, started on first use.

    Args:
        db: the server's database; the worker opens its own connections to the same one.
        job: what the worker runs for an `Ask` (a module-level function; tests hold it mid-way).
        initializer: what sets a new worker process up, with `initargs` after the database's.
    """

    def __init__(
        self,
        *,
        db: Database,
        job: Callable[[Ask], list[Report]] = compute,
        initializer: Callable[..., None] = start_worker,
        initargs: tuple = (),
    ) -> None:
        self._db, self._job = db, job
        self._initializer, self._initargs = initializer, initargs
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self._turn = asyncio.Lock()  # one computation at a time, in the order they were asked for
        self._queued: dict[Ask, _Queued] = {}  # computations not yet begun, and who waits for each

    async def reports(self, ask: Ask, *, scope: Scope) -> list[Report]:
        """The reports `ask` names, with `scope` (the server's own) as theirs: from a computation
        that begins after this call, shared with the same asks made before it begins."""
        queued = self._queued.get(ask)
        if queued is None:
            queued = self._queued[ask] = _Queued(computation=asyncio.ensure_future(self._compute(ask)))
        else:
            queued.askers += 1
        found = await asyncio.shield(queued.computation)
        return [replace(report, scope=scope) for report in found]

    def waiting(self) -> int:
        """How many asks wait for a computation that has not begun."""
        return sum(queued.askers for queued in self._queued.values())

    async def _compute(self, ask: Ask) -> list[Report]:
        async with self._turn:
            del self._queued[ask]  # whoever asks from now on gets a computation begun after them
            try:
                return await asyncio.wrap_future(self._executor().submit(self._job, ask))
            except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, once
                if self._closed:
                    raise
                self._pool = None
                return await asyncio.wrap_future(self._executor().submit(self._job, ask))

    def _executor(self) -> ProcessPoolExecutor:
        if self._closed:
            raise BrokenProcessPool("the server is stopping")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=WORKERS,
                mp_context=multiprocessing.get_context("spawn"),  # no copy of the server's loop or sockets
                initializer=self._initializer,
                initargs=(self._db.url, self._db.connect_args, *self._initargs),
            )
        return self._pool

    async def close(self) -> None:
        """Stop the worker process at once: a page still being computed is abandoned (it only
        reads), so that a server told to stop is not held for seconds of figures."""
        self._closed = True
        if self._pool is not None:
            pool, self._pool = self._pool, None
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()  # Python 3.11 has no ProcessPoolExecutor.terminate_workers()
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
