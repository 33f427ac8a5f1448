"""Due work, run once: `run_due(now)` claims what is due in the database, runs it, records it.

Each batch is one transaction: the claim (`FOR UPDATE SKIP LOCKED` on PostgreSQL; on SQLite the
single writer serialises), the work's effects (form sessions, outbox rows, the next occurrence) and
the row's new status commit together. So two schedulers on one database never run one row twice,
and a crash in the middle leaves the row due again with nothing half-done. One failing row is
rolled back to its savepoint and retried later; the rest of the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogue
from store import orgs, schedules
from store.checkin_models import DueWork
from store.db import Database
from store.models import Organisation

log = logging.getLogger(__name__)
BATCH = 500
MAX_ATTEMPTS = 5


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How a job ended: "done" or "skipped", with a note saying why (kept on the row)."""

    status: str
    note: str | None = None


@dataclass(kw_only=True)
class JobContext:
    session: AsyncSession
    org: Organisation
    now: datetime
    catalogue: Catalogue


Job = Callable[[JobContext, DueWork], Awaitable[Outcome]]


@dataclass
class Report:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)


class Scheduler:
    """Runs due work with the jobs it is given, keyed by kind."""

    def __init__(
        self, *, db: Database, catalogue: Catalogue, jobs: dict[str, Job], batch: int = BATCH
    ) -> None:
        self.db = db
        self.catalogue = catalogue
        self.jobs = jobs
        self.batch = batch

    async def run_due(self, now: datetime) -> Report:
        """Run everything due at `now`, batch by batch, until nothing due is left unclaimed."""
        report = Report()
        while True:
            async with self.db.transaction() as session:
                rows = await schedules.claim_due(session, now=now, limit=self.batch)
                for row in rows:
                    await self._run(session, row, now, report)
            if len(rows) < self.batch:
                return report

    async def _run(self, session: AsyncSession, row: DueWork, now: datetime, report: Report) -> None:
        org = await orgs.by_id(session, row.org_id)
        ctx = JobContext(session=session, org=org, now=now, catalogue=self.catalogue)
        try:
            async with session.begin_nested():
                outcome = await self.jobs[row.kind](ctx, row)
        except Exception as error:
            log.exception("due work %s #%s failed", row.kind, row.id)
            await session.refresh(row)  # the savepoint's rollback expired it
            schedules.retry(row, error=repr(error), now=now, max_attempts=MAX_ATTEMPTS)
            report.failed += 1
            return
        schedules.finish(row, status=outcome.status, note=outcome.note, now=now)
        if outcome.status == "done":
            report.done += 1
        else:
            report.skipped += 1
            report.notes.append(f"{row.kind} #{row.subject}: {outcome.note}")


def build_scheduler(*, db: Database, catalogue: Catalogue, batch: int = BATCH) -> Scheduler:
    """The scheduler with every feature's jobs."""
    # The job modules import this module's types, hence the late imports.
    from bot.checkins.jobs import jobs as checkin_jobs
    from bot.features.actions.reminders import jobs as action_jobs
    from bot.features.feedback.request_jobs import jobs as feedback_request_jobs
    from bot.privacy.retention import jobs as privacy_jobs
    from bot.reviews.jobs import jobs as review_jobs

    jobs = {**checkin_jobs(), **feedback_request_jobs(), **action_jobs(), **review_jobs(), **privacy_jobs()}
    return Scheduler(db=db, catalogue=catalogue, jobs=jobs, batch=batch)
