"""Delivers due Teams outbox rows once: claim, send outside any transaction, mark each row.

The shared delivery worker (`adapters/delivery.py`) may take this over; the outcomes are the same:
sent; retried later (Teams' Retry-After, else exponential backoff); failed (unreachable, a permanent
error, or too many attempts).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.app import App
from adapters.teams.sender import Retry, TeamsSender, Unreachable
from bot.replies import Reply
from store import outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class _Job:
    id: int
    org_id: int
    kind: str
    recipient_id: int | None
    channel_id: str | None
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to one row: "sent", "retry" (with when) or "failed" (with why)."""

    message_id: int
    status: str
    error: str = ""
    retry_at: datetime | None = None


def backoff(attempts: int) -> timedelta:
    return min(FIRST_BACKOFF * 2 ** max(0, attempts - 1), MAX_BACKOFF)


async def _attempt(sender: TeamsSender, job: _Job, *, now: datetime) -> Outcome:
    try:
        await sender.send(
            org_id=job.org_id,
            kind=job.kind,
            recipient_id=job.recipient_id,
            channel_id=job.channel_id,
            reply=Reply.from_dict(job.payload),
        )
        return Outcome(message_id=job.id, status="sent")
    except Unreachable as error:
        return Outcome(message_id=job.id, status="failed", error=f"unreachable: {error.reason}")
    except Retry as error:
        if job.attempts >= MAX_ATTEMPTS:
            return Outcome(message_id=job.id, status="failed", error=f"gave up after {job.attempts}: {error}")
        wait = (
            timedelta(seconds=error.after_seconds)
            if error.after_seconds is not None
            else backoff(job.attempts)
        )
        return Outcome(message_id=job.id, status="retry", error=str(error), retry_at=now + wait)
    except Exception as error:
        log.exception("teams delivery of outbox message %s failed", job.id)
        return Outcome(message_id=job.id, status="failed", error=f"{type(error).__name__}: {error}")


async def _in_order(sender: TeamsSender, jobs: list[_Job], *, now: datetime) -> list[Outcome]:
    """One recipient's (or channel's) messages, one after another, so they arrive in order."""
    return [await _attempt(sender, job, now=now) for job in jobs]


async def deliver_due(app: App, sender: TeamsSender, *, now: datetime, limit: int = 100) -> list[Outcome]:
    """Claim up to `limit` due Teams messages, send them, and record each outcome.

    Different recipients are sent to concurrently; no transaction is held while Teams is called.
    """
    async with app.db.transaction() as session:
        rows = await outbox.claim_due(session, platform=sender.platform, now=now, limit=limit)
        jobs = [
            _Job(
                id=r.id,
                org_id=r.org_id,
                kind=r.kind,
                recipient_id=r.recipient_id,
                channel_id=r.channel_id,
                payload=r.payload,
                attempts=r.attempts,
            )
            for r in rows
        ]
    groups: dict[tuple, list[_Job]] = {}
    for job in jobs:
        groups.setdefault((job.org_id, job.kind, job.recipient_id, job.channel_id), []).append(job)
    outcomes = [
        o
        for batch in await asyncio.gather(*(_in_order(sender, g, now=now) for g in groups.values()))
        for o in batch
    ]
    async with app.db.transaction() as session:
        for outcome in outcomes:
            if outcome.status == "sent":
                await outbox.mark_sent(session, message_id=outcome.message_id, now=now)
            elif outcome.status == "retry":
                await outbox.mark_retry(
                    session, message_id=outcome.message_id, at=outcome.retry_at, error=outcome.error
                )
            else:
                await outbox.mark_failed(session, message_id=outcome.message_id, error=outcome.error)
    return outcomes
