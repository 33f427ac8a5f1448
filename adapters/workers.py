"""Delivery and due work in processes of their own: `rapport serve --workers N`.

In one process, the delivery workers, the due-work tick and every request share one event loop and
one core: measured with the `mixed` benchmark, a 10,000-person check-in fan-out went out at a third
of its rate while Slack's requests came in, and the requests waited for the fan-out. With workers,
the server process only answers requests; each worker process builds the same application, runs
every enabled platform's delivery work (whatever a platform mounts as `<name>-delivery`: for Slack
also its profile filler and replay pruner) and the due-work tick, and answers nothing.

Processes share the work through the database: the outbox's leases (`store.outbox.claim_due`) and
due work's claims (`bot.scheduler`), so nothing is sent or run twice, and a worker that dies leaves
rows that come back when their leases end. On SQLite one process writes at a time (WAL): a worker's
writes wait for the server's and the other way round (`store.sqlite_inline` waits without blocking).

The server starts its workers when it starts, starts a new one when one dies, and stops them when it
stops (SIGTERM: each finishes or hands back what it holds, as the server's own worker did). A worker
whose server is gone (`kill -9`) stops by itself within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.queues import Queue

from adapters.app import build_app
from adapters.heap import settle_heap
from adapters.logs import configure_logging
from adapters.metrics import Metrics
from adapters.platforms import enabled
from adapters.worker_metrics import Reporter, receive
from bot.features import build_scheduler
from bot.platform import Handler, Hook
from bot.settings import Settings
from store.db import Database

log = logging.getLogger(__name__)

DELIVERY = "-delivery"  # the suffix of the background work a worker process runs
STOP_WITHIN = 8.0  # seconds a worker has to stop once told, before it is killed (the server: 9)
WATCH_EVERY = 1.0  # seconds between checks that the workers (or, in a worker, the server) live
SETTLED_AFTER = 10.0  # a worker that ends sooner after its start is started again after a pause
LONGEST_WAIT = 60  # seconds, the longest such pause
# A worker's due work runs in smaller transactions than the server's on SQLite: each one holds the
# write lock, and the server's requests wait for it. PostgreSQL's writers do not wait for each other's
# transactions, so there a batch is larger: a 10,000-person check-in fan-out went out about a third
# faster with batches of 500 than of 100 (fewer statements and round trips per prompt; `mixed`
# benchmark, 2026-12), and the requests' acknowledgements were as fast.
TICK_BATCH = 100
TICK_BATCH_POSTGRESQL = 500
SQLITE_PAUSE = 0.01  # seconds between two such batches on SQLite: the server's writes get in between


class WorkerHost:
    """The `bot.platform.Host` of a worker process: it keeps each platform's delivery work and what
    stops it, and leaves the rest (routes, sockets and streams that bring requests in) to the server."""

    def __init__(self) -> None:
        self.work: list[tuple[str, Callable[[asyncio.Event], Awaitable[None]]]] = []
        self.stopping: list[Hook] = []
        self.stopped: list[Hook] = []

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Requests are the server's."""

    def background(self, name: str, work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        if name.endswith(DELIVERY):
            self.work.append((name, work))

    def on_start(self, hook: Hook) -> None:
        """Start hooks open what brings requests in (Socket Mode, streams): the server's."""

    def on_stopping(self, hook: Hook) -> None:
        self.stopping.append(hook)

    def on_stop(self, hook: Hook) -> None:
        self.stopped.append(hook)


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What a worker process is started with: plain values, sent to a new interpreter."""

    settings: Settings
    connect_args: dict
    tick_seconds: float | None
    parent: int


def main(plan: Plan, reports: Queue) -> None:
    """A worker process's entry point; `reports` takes its delivery counts to the server."""
    configure_logging(log_format=plan.settings.log_format)  # as the server's: text or JSON, to stderr
    asyncio.run(work(plan, reports))


async def work(plan: Plan, reports: Queue) -> None:
    """Deliver and run due work until SIGTERM, SIGINT or the server's end; then stop as the server
    does: no new claims, what is in hand finished or handed back within the delivery grace. What it
    delivered is counted on the server's /metrics (`adapters.worker_metrics`)."""
    db = Database(url=plan.settings.database_url, connect_args=plan.connect_args)
    app = build_app(plan.settings, db=db)
    host = WorkerHost()
    for platform in enabled(app, plan.settings.environ):
        platform.mount(host)
    # As the server once it has started: the application's long-lived objects out of the collector's
    # sight, the youngest generation collected less often. Measured with the `mixed` benchmark: the
    # worker spent 2.3 s of CPU in 2,600 collections over two 10,000-person fan-outs; 0.27 s once
    # settled.
    settle_heap()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(run(stop), name=name) for name, run in host.work]
    ticking = asyncio.create_task(_tick(app, plan.tick_seconds, stop)) if plan.tick_seconds else None
    orphan = asyncio.create_task(_while_parent(plan.parent, stop))
    reporter = Reporter(metrics=app.metrics, reports=reports)
    reporting = asyncio.create_task(reporter.run(stop))
    try:
        await stop.wait()
    finally:
        orphan.cancel()
        if ticking is not None:
            ticking.cancel()  # a batch of due work in flight is rolled back: due again
        for hook in host.stopping:
            await _quietly(hook)
        await asyncio.gather(*tasks, return_exceptions=True)
        if ticking is not None:
            await asyncio.gather(ticking, return_exceptions=True)
        for hook in host.stopped:
            await _quietly(hook)
        reporting.cancel()
        reporter.report()  # the last of what it delivered
        await app.close()


async def _quietly(hook: Hook) -> None:
    try:
        await hook()
    except Exception:
        log.exception("stopping a worker: a hook failed")


async def _tick(app, seconds: float, stop: asyncio.Event) -> None:
    batch = TICK_BATCH if app.db.is_sqlite else TICK_BATCH_POSTGRESQL
    due = build_scheduler(db=app.db, catalogue=app.catalogue, batch=batch)
    if app.db.is_sqlite:
        due.pause = SQLITE_PAUSE
    while not stop.is_set():
        try:
            report = await due.run_due(app.clock.now())
            if report.done or report.failed:
                log.info(
                    "due work: %s done, %s skipped, %s failed", report.done, report.skipped, report.failed
                )
        except Exception:
            log.exception("due work failed; trying again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _while_parent(parent: int, stop: asyncio.Event) -> None:
    """Stop when the server that started this worker is gone (it was killed: nobody else will)."""
    while True:
        if os.getppid() != parent:
            break
        await asyncio.sleep(WATCH_EVERY)
    log.warning("the server is gone: stopping")
    stop.set()


class Workers:
    """The server's side: `count` worker processes, started with the server, replaced when one dies,
    stopped with it."""

    def __init__(
        self,
        *,
        count: int,
        settings: Settings,
        connect_args: dict,
        tick_seconds: float | None,
        metrics: Metrics,
    ) -> None:
        self.count = count
        self.metrics = metrics
        self.plan = Plan(
            settings=settings, connect_args=connect_args, tick_seconds=tick_seconds, parent=os.getpid()
        )
        self.processes: list[multiprocessing.Process] = []
        self._context = multiprocessing.get_context("spawn")  # no copy of the server's loop or sockets
        self.reports: Queue = self._context.Queue()  # the workers' delivery counts
        self._watching: asyncio.Task | None = None

    def alive(self) -> bool:
        return len(self.processes) == self.count and all(p.is_alive() for p in self.processes)

    async def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]
        self._watching = asyncio.create_task(self._watch())

    def _spawn(self) -> multiprocessing.Process:
        process = self._context.Process(target=main, args=(self.plan, self.reports), name="rapport-worker")
        process.start()
        return process

    async def _watch(self) -> None:
        """Start a new worker in place of one that ended. One that keeps dying at start (a database it
        cannot reach) is started again less and less often, up to once a minute."""
        loop = asyncio.get_running_loop()
        started = [loop.time()] * self.count
        failures = [0] * self.count
        due: list[float | None] = [None] * self.count
        while True:
            await asyncio.sleep(WATCH_EVERY)
            receive(self.metrics, self.reports)
            for n, process in enumerate(self.processes):
                if due[n] is None and not process.is_alive():
                    failures[n] = failures[n] + 1 if loop.time() - started[n] < SETTLED_AFTER else 0
                    wait = min(2 ** failures[n] - 1, LONGEST_WAIT)
                    log.warning(
                        "worker process %s ended (exit code %s): starting another%s",
                        process.pid,
                        process.exitcode,
                        f" in {wait} s" if wait else "",
                    )
                    due[n] = loop.time() + wait
                if due[n] is not None and loop.time() >= due[n]:
                    process.close()
                    self.processes[n], started[n], due[n] = self._spawn(), loop.time(), None

    async def signal_stop(self) -> None:
        """SIGTERM to each worker (none is started again): they stop claiming at once."""
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
            self._watching = None
        for process in self.processes:
            if process.is_alive():
                process.terminate()

    async def stop(self) -> None:
        """Stop the workers and wait for them; those still running after `STOP_WITHIN` seconds are
        killed (their rows come back when their leases end)."""
        await self.signal_stop()
        await asyncio.to_thread(self._join)
        receive(self.metrics, self.reports)
        self.reports.close()

    def _join(self) -> None:
        for process in self.processes:
            process.join(STOP_WITHIN)
            if process.is_alive():
                log.warning("worker process %s did not stop within %.0f s: killed", process.pid, STOP_WITHIN)
                process.kill()
                process.join()
