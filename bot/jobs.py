"""What a job is: the vocabulary features use to define due work and the scheduler uses to run it.

A feature registers each kind of due work it plans on the router (`router.job(kind)`), as it registers
its commands; the scheduler (`bot.scheduler`) runs what the router holds and imports no feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogue
from bot.messaging import Messaging, flush_all
from store.checkin_models import DueWork
from store.models import Organisation


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How a job ended: "done" or "skipped", with a note saying why (kept on the row)."""

    status: str
    note: str | None = None


@dataclass(kw_only=True)
class JobContext(Messaging):
    """One row (or one batch of rows) of due work being run, in its organisation, at `now`.

    Its messages (`send_dm`: `bot.messaging`, as from a turn) are written to the outbox when the job
    ends (`flush`), in the job's savepoint: a job that fails sends nothing.
    """

    session: AsyncSession
    org: Organisation
    now: datetime
    catalogue: Catalogue
    reach: dict[int, list[str]] = field(default_factory=dict)
    _outbox: list[dict] = field(default_factory=list, repr=False)

    async def flush(self) -> None:
        await flush_all([self])


Job = Callable[[JobContext, DueWork], Awaitable[Outcome]]
BatchJob = Callable[[JobContext, list[DueWork]], Awaitable[dict[int, Outcome]]]


@dataclass(frozen=True, kw_only=True)
class Batched:
    """A kind that can run many rows at once (`many`: outcomes by row id), and one at a time (`each`),
    which is what a failed batch falls back to."""

    each: Job
    many: BatchJob
