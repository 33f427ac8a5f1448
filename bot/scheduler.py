"""Due work, run once: `run_due(now)` claims what is due in the database, runs it, records it.

Each batch is one transaction: the claim (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the
single writer serialises), the work's effects (form sessions, outbox rows, the next occurrence) and
the row's new status commit together. So two schedulers on one database never run one row twice,
and a crash in the middle leaves the row due again with nothing half-done. One failing row is
rolled back to its savepoint and retried later; the rest of the batch goes on.

A kind with a `Batched` job runs each stretch of its claimed rows (one organisation, one kind) in one
go: a few reads and bulk writes instead of a dozen statements per row. If that fails, its savepoint
is rolled back and the stretch runs row by row, so one bad row holds up nobody else.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogue
from bot.jobs import Batched, Job, JobContext, Outcome
from store import due_work, orgs
from store.checkin_models import DueWork
from store.db import Database

log = logging.getLogger(__name__)
# A batch is one write transaction: on SQLite, one stretch of the event loop's time (a batch of 1,000
# check-in prompts was about 200 ms of CPU, every request in the meantime waiting for it).
BATCH = 500
MAX_ATTEMPTS = 5


@dataclass
class Report:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)


class Scheduler:
    """Runs due work with the jobs it is given, keyed by kind."""

    def __init__(
        self, *, db: Database, catalogue: Catalogue, jobs: dict[str, Job | Batched], batch: int = BATCH
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.jobs = jobs
        self.batch = batch
        # Seconds between two batches. In a process of its own beside the server on SQLite, a pause
        # lets the server's writes (which poll for the lock) in between; in the server, none is needed.
        self.pause = 0.0

    async def run_due(self, now: datetime) -> Report:
        """Run everything due at `now`, batch by batch, until nothing due is left unclaimed."""
        report = Report()
        while True:
            async with self.db.transaction() as session:
                rows = await due_work.claim_due(session, now=now, limit=self.batch)
                for stretch in _stretches(rows):
                    job = self.jobs[stretch[0].kind]
                    if isinstance(job, Batched):
                        await self._run_many(session, job, stretch, now, report)
                    else:
                        for row in stretch:
                            await self._run(session, job, row, now, report)
            if len(rows) < self.batch:
                return report
            # Let requests waiting for the database go first: the pool would hand the writer straight
            # back to this loop, and on SQLite a fan-out's batches would run back to back before them.
            await asyncio.sleep(self.pause)

    async def _context(self, session: AsyncSession, row: DueWork, now: datetime) -> JobContext:
        org = await orgs.by_id(session, row.org_id)
        return JobContext(session=session, org=org, now=now, catalogue=self.catalogue)

    async def _run_many(
        self, session: AsyncSession, job: Batched, rows: list[DueWork], now: datetime, report: Report
    ) -> None:
        ctx = await self._context(session, rows[0], now)
        try:
            async with session.begin_nested():
                outcomes = await job.many(ctx, rows)
                await ctx.flush()
        except Exception:
            log.exception("due work %s: a batch of %d failed; running it row by row", rows[0].kind, len(rows))
            for row in rows:
                await self._run(session, job.each, row, now, report)
            return
        finished = [(row, outcomes[row.id].status, outcomes[row.id].note) for row in rows]
        await due_work.finish_many(session, finished=finished, now=now)
        for row in rows:
            _count(row, outcomes[row.id], report)

    async def _run(
        self, session: AsyncSession, job: Job, row: DueWork, now: datetime, report: Report
    ) -> None:
        ctx = await self._context(session, row, now)
        try:
            async with session.begin_nested():
                outcome = await job(ctx, row)
                await ctx.flush()
        except Exception as error:
            log.exception("due work %s #%s failed", row.kind, row.id)
            await session.refresh(row)  # the savepoint's rollback expired it
            due_work.retry(row, error=repr(error), now=now, max_attempts=MAX_ATTEMPTS)
            report.failed += 1
            return
        _record(row, outcome, now, report)


def _record(row: DueWork, outcome: Outcome, now: datetime, report: Report) -> None:
    due_work.finish(row, status=outcome.status, note=outcome.note, now=now)
    _count(row, outcome, report)


def _count(row: DueWork, outcome: Outcome, report: Report) -> None:
    if outcome.status == "done":
        report.done += 1
    else:
        report.skipped += 1
        report.notes.append(f"{row.kind} #{row.subject}: {outcome.note}")


def _stretches(rows: list[DueWork]) -> list[list[DueWork]]:
    """Claimed rows cut into runs of one organisation and kind, in the order they were claimed."""
    stretches: list[list[DueWork]] = []
    for row in rows:
        last = stretches[-1][-1] if stretches else None
        if last is not None and (last.org_id, last.kind) == (row.org_id, row.kind):
            stretches[-1].append(row)
        else:
            stretches.append([row])
    return stretches
