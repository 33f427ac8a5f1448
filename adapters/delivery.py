"""The delivery worker: sends what the core left in the outbox, once each, whatever the platform.

Claiming a row counts the attempt and leases it before anything is sent, so a worker that dies
mid-send leaves a row that comes due again when the lease runs out; its sender then checks whether
the message went out before sending it again. Rate limits and server errors are retried with backoff;
after `max_attempts` a message is marked failed with the reason (`rapport outbox --failed`).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.clock import Clock
from store import outbox
from store.db import Database
from store.models import OutboxMessage

log = logging.getLogger(__name__)


class SendError(Exception):
    """A send that did not happen. `permanent` ones fail at once; the rest are retried.

    Args:
        reason: what went wrong, kept on the row for `rapport outbox --failed`.
        retry_after: seconds the platform asked us to wait (HTTP 429 Retry-After).
        permanent: retrying cannot help (no such channel, app uninstalled).
    """

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What happened to one message: "sent", "retry" (with when) or "failed" (with why)."""

    message_id: int
    status: str
    error: str = ""
    retry_at: datetime | None = None


class Sender(Protocol):
    """Sends one outbox message on one platform, or raises SendError."""

    async def send(self, message: OutboxMessage) -> None: ...


@runtime_checkable
class Preparing(Protocol):
    """A sender that looks up what a whole batch needs at once before its messages are sent."""

    async def prepare(self, messages: list[OutboxMessage]) -> None: ...


class DeliveryWorker:
    """Claims due outbox rows for one platform and hands each to that platform's sender."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        platform: str,
        sender: Sender,
        batch_size: int = 200,
        concurrency: int = 8,
        max_attempts: int = 5,
        interval: float = 0.5,
        backoff: timedelta = timedelta(seconds=5),
        max_backoff: timedelta = timedelta(minutes=15),
        lease: timedelta = timedelta(minutes=5),
    ) -> None:
        self.db = db
        self.clock = clock
        self.platform = platform
        self.sender = sender
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.interval = interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.lease = lease
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> list[Outcome]:
        """Deliver one batch of due messages and say what became of each.

        Different recipients are served concurrently; one recipient's (or channel's) messages go one
        after another, oldest first, so that a conversation's questions arrive in order.
        """
        async with self.db.transaction() as session:
            rows = await outbox.claim_due(
                session, platform=self.platform, now=self.clock.now(), limit=self.batch_size, lease=self.lease
            )
        if rows and isinstance(self.sender, Preparing):
            try:
                await self.sender.prepare(rows)
            except Exception:  # the sender can still look each message up itself
                log.exception("preparing a delivery batch failed")
        conversations: dict[tuple, list[OutboxMessage]] = {}
        for row in rows:
            conversations.setdefault((row.org_id, row.kind, row.recipient_id, row.channel_id), []).append(row)
        batches = await asyncio.gather(*(self._in_order(group) for group in conversations.values()))
        outcomes = sorted((o for batch in batches for o in batch), key=lambda o: o.message_id)
        sent = [o.message_id for o in outcomes if o.status == "sent"]
        if sent:
            # One write for the batch. Should it never happen, the rows come due again when their
            # lease ends, and the sender finds them in the conversation's history: none goes twice.
            async with self.db.transaction() as session:
                await outbox.mark_sent_many(session, message_ids=sent, now=self.clock.now())
        return outcomes

    async def _in_order(self, rows: list[OutboxMessage]) -> list[Outcome]:
        return [await self._deliver(row) for row in rows]

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the batch in hand is finished first, so nothing is half-sent."""
        while not stop.is_set():
            try:
                claimed = len(await self.run_once())
            except Exception:
                log.exception("delivery batch failed; trying again")
                claimed = 0
            if claimed < self.batch_size:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.interval)
                except TimeoutError:
                    pass

    async def _deliver(self, row: OutboxMessage) -> Outcome:
        async with self._slots:
            try:
                await self.sender.send(row)
            except SendError as error:
                return await self._failed_attempt(row, error)
            except Exception as error:  # a bug in a sender must not stop the other messages
                log.exception("sender crashed on outbox message %s", row.id)
                return await self._failed_attempt(row, SendError(f"{type(error).__name__}: {error}"))
            return Outcome(message_id=row.id, status="sent")  # marked with the rest of the batch

    async def _failed_attempt(self, row: OutboxMessage, error: SendError) -> Outcome:
        async with self.db.transaction() as session:
            if error.permanent or row.attempts >= self.max_attempts:
                log.warning("outbox message %s failed: %s", row.id, error.reason)
                await outbox.mark_failed(session, message_id=row.id, error=error.reason)
                return Outcome(message_id=row.id, status="failed", error=error.reason)
            delay = (
                timedelta(seconds=error.retry_after)
                if error.retry_after is not None
                else min(self.backoff * 2 ** (row.attempts - 1), self.max_backoff)
            )
            at = self.clock.now() + delay
            await outbox.mark_retry(session, message_id=row.id, at=at, error=error.reason)
            return Outcome(message_id=row.id, status="retry", error=error.reason, retry_at=at)
