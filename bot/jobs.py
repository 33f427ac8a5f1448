"""What a job is: the vocabulary features use to define due work and the scheduler uses to run it.

A feature registers each kind of due work it plans on the router (`router.job(kind)`), as it registers
its commands; the scheduler (`bot.scheduler`) runs what the router holds and imports no feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogue
from store.checkin_models import DueWork
from store.models import Organisation


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
BatchJob = Callable[[JobContext, list[DueWork]], Awaitable[dict[int, Outcome]]]


@dataclass(frozen=True, kw_only=True)
class Batched:
    """A kind that can run many rows at once (`many`: outcomes by row id), and one at a time (`each`),
    which is what a failed batch falls back to."""

    each: Job
    many: BatchJob
