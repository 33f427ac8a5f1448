"""The dashboard's figures, computed in a process of their own so that the server keeps answering.

With 10,000 people a page of figures took 1.5-2.5 s of CPU on SQLite (the year's GROUP BYs, then
deciding what to hide across every view: `bot.anonymity.suppression`). SQLite runs on the event
loop's thread (`store.sqlite_inline`), so each page load held every Slack request for that long;
in a thread it would hold them too, one statement at a time: the sqlite3 module lets go of the GIL
around each statement and waits up to 5 ms to get it back from a thread that computes. So a worker
process computes them, with its own database connections (WAL lets it read beside the server's
writer; on PostgreSQL it is one more client), one page at a time.

Coalesced, per viewer: a page asked for while the same viewer's same page (organisation, scope,
period, trend, language, day, threshold) is queued or being computed shares that computation, and a
finished computation is reused for `REUSE_SECONDS`, or for `REUSE_PER_SECOND` times as long as it
took when that is longer (at most `REUSE_LONGEST`). A small organisation's page (a tenth of a
second) is reused for 3 s. The heaviest page at 10,000 people (a year of weekly check-ins with their
reminders) takes about 2 s on a quiet machine (1.2 s of the worker's CPU, about 0.9 s of
PostgreSQL's) and 2.2-5.3 s while Slack's load and a fan-out run. Reused for 3 s, HR reloading it
every second kept both computing more than half the time. Reused five times as long as it took, a
computation still fell inside the fan-out's five seconds in about half the rounds of the `mixed`
benchmark, and each took 0.1-0.3 off the fan-out's rate (on a two-core machine the page's queries
take PostgreSQL's CPU at the same priority as the fan-out's). Reused ten times as long, the page
costs at most an eleventh of the time, and most reloads are answered at once; the page says when its
figures were read (`Report.as_of`). The figures may then be up to that window older than the request
(plus the computation's own time): whether data they read was written since is not known cheaply
(the server, its worker processes and the CLI all write), so the window is bounded instead. A result
is never handed to another viewer, even one with the same access: who may see a scope is checked for
every request before it gets here (`allowed_scope`), and keying by viewer keeps that true should the
figures ever depend on who looks.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date, datetime

from bot.i18n import Catalogue
from bot.insights.period import Period
from bot.insights.report import Report, Scope, build_report
from store import orgs, people
from store.db import Database

WORKERS = 1  # pages are computed one after another: HR's figures never take more than one core
NICE = 10
# How long a finished page is reused for the same viewer: HR reloading every second gets figures at
# most this old, while the worker computes at most one page per viewer and page in this time: at
# least `REUSE_SECONDS`, `REUSE_PER_SECOND` times the computation's own time when that is longer,
# never more than `REUSE_LONGEST` (a write since is not noticed, see above).
REUSE_SECONDS = 3.0
REUSE_PER_SECOND = 10.0
REUSE_LONGEST = 60.0


@dataclass(frozen=True, kw_only=True)
class Ask:
    """Which figures a page shows: sent to the worker, so plain values only."""

    org_id: int
    kind: str
    department: str | None
    manager_id: int | None
    period: Period
    periods: int  # the period and the ones before it, for a trend
    trend_tables: tuple[str, ...] | None = None  # what the periods before it show (None: everything)
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


def timed(job: Callable[[Ask], list[Report]], ask: Ask) -> tuple[list[Report], float]:
    """In the worker: `job`'s reports and the seconds it took (the worker's start-up not counted)."""
    started = time.monotonic()
    return job(ask), time.monotonic() - started


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
                only=None if p == ask.period else ask.trend_tables,
            )
            for p in ask.period.trend(ask.periods)
        ]
    return [replace(report, scope=None) for report in reports]


@dataclass(kw_only=True)
class _Flight:
    computation: asyncio.Future
    askers: int = 1
    begun: bool = False


@dataclass(frozen=True, kw_only=True)
class _Done:
    reports: list[Report]
    until: float  # time.monotonic() when it is no longer reused


class ReportWorker:
    """The server's side: `reports(ask, scope=, viewer=)` from the worker process, started on first use.

    Args:
        db: the server's database; the worker opens its own connections to the same one.
        job: what the worker runs for an `Ask` (a module-level function; tests hold it mid-way).
        initializer: what sets a new worker process up, with `initargs` after the database's.
        reuse_seconds: the least time a finished computation is reused for the same viewer and ask
            (0: never reused).
        reuse_per_second: how many times its own time a computation is reused for, when that is
            longer than `reuse_seconds`.
        reuse_longest: the longest time a computation is reused for.
    """

    def __init__(
        self,
        *,
        db: Database,
        job: Callable[[Ask], list[Report]] = compute,
        initializer: Callable[..., None] = start_worker,
        initargs: tuple = (),
        reuse_seconds: float = REUSE_SECONDS,
        reuse_per_second: float = REUSE_PER_SECOND,
        reuse_longest: float = REUSE_LONGEST,
    ) -> None:
        self._db, self._job = db, job
        self._initializer, self._initargs = initializer, initargs
        self._reuse = reuse_seconds
        self._reuse_per_second = reuse_per_second
        self._reuse_longest = reuse_longest
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False
        self._turn = asyncio.Lock()  # one computation at a time, in the order they were asked for
        self._flights: dict[tuple[int, Ask], _Flight] = {}  # queued or being computed, and who waits
        self._done: dict[tuple[int, Ask], _Done] = {}  # finished less than `reuse_seconds` ago

    async def reports(
        self, ask: Ask, *, scope: Scope, viewer: int, now: datetime | None = None
    ) -> list[Report]:
        """The reports `ask` names for the person `viewer` (an id; their access already checked),
        with `scope` (the server's own) as theirs: shared with the same viewer's same ask while it is
        queued or computed, or finished recently (`reuse_seconds`, longer for a long computation).
        Each says when it was first asked for (`now` then: `Report.as_of`), however often reused."""
        key = (viewer, ask)
        done = self._fresh(key)
        if done is not None:
            return [replace(report, scope=scope) for report in done.reports]
        flight = self._flights.get(key)
        if flight is None:
            computation = asyncio.ensure_future(self._compute(key, as_of=now))
            flight = self._flights[key] = _Flight(computation=computation)
        else:
            flight.askers += 1
        found = await asyncio.shield(flight.computation)
        return [replace(report, scope=scope) for report in found]

    def waiting(self, *, begun: bool = False) -> int:
        """How many asks wait for a computation: not begun yet, or (`begun`) under way."""
        return sum(flight.askers for flight in self._flights.values() if flight.begun == begun)

    def _fresh(self, key: tuple[int, Ask]) -> _Done | None:
        now = time.monotonic()
        for old in [k for k, done in self._done.items() if now >= done.until]:
            del self._done[old]
        return self._done.get(key)

    async def _compute(self, key: tuple[int, Ask], *, as_of: datetime | None) -> list[Report]:
        try:
            async with self._turn:
                self._flights[key].begun = True
                found, took = await self._run(key[1])
        finally:
            del self._flights[key]  # whoever asks from now on gets a reused or a new computation
        found = [replace(report, as_of=as_of) for report in found]
        if self._reuse > 0:
            reuse = max(self._reuse, min(self._reuse_longest, self._reuse_per_second * took))
            self._done[key] = _Done(reports=found, until=time.monotonic() + reuse)
        return found

    async def _run(self, ask: Ask) -> tuple[list[Report], float]:
        try:
            return await asyncio.wrap_future(self._executor().submit(timed, self._job, ask))
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, once
            if self._closed:
                raise
            self._pool = None
            return await asyncio.wrap_future(self._executor().submit(timed, self._job, ask))

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
