"""The delivery worker: sends what the core left in the outbox, once each, whatever the platform.

Claiming a row counts the attempt and leases it to this worker before anything is sent. The lease is
short (`outbox.LEASE`, 20 s) and renewed every `heartbeat` seconds while the worker lives, so a live
worker keeps its rows however long a send takes, and a worker that dies (`kill -9`, a lost machine)
leaves rows that come due again within seconds; their sender then checks whether a message went out
before sending it again.

A message is retried until it is sent or no longer useful: a passing error (rate limit, server
error, timeout) brings it back after the platform's Retry-After, else after a capped exponential
backoff with jitter; a permanent error (no such channel, the person blocked the app) fails it at once
with its reason; a message past its expiry, or whose next try would be, is dropped with the reason.

`run` (what `rapport serve` uses) is a pipeline: it claims the next batch while the last is still being
sent, so the sends in flight never drain to wait for a batch's slowest one (a 429's Retry-After),
and it marks sent rows in one write with the next claim. When `stop` is set it claims nothing more,
finishes what it holds for at most `grace` seconds, then cuts off the sends still in flight and hands
back what it did not send, so that a server stops within seconds even while the platform hangs.
`run_once` delivers one batch to the end (its leases are not renewed: for tests and one-off use).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from datetime import timedelta

from adapters.delivery_pipeline import Pipeline, conversations
from adapters.sending import Outcome, Preparing, Sender, send_parts, worker_name
from bot.clock import Clock
from bot.platform import SendError
from store import outbox, outbox_marks
from store.db import Database
from store.outbox import Claimed

log = logging.getLogger(__name__)

# `Outcome` and `send_parts` are `adapters.sending`'s, still importable from here (adapters/feishu does).
__all__ = ["DeliveryWorker", "Outcome", "SendError", "send_parts"]


class DeliveryWorker:
    """Claims due outbox rows for one platform and hands each to that platform's sender.

    Args:
        backoff, max_backoff: the first retry's delay after a passing error, doubling up to the cap.
        lease: how long a claimed row stays this worker's without a renewal.
        heartbeat: seconds between renewals of the leases `run` holds.
        grace: seconds `run` goes on sending what it holds once told to stop.
        jitter: the random source (a number in [0, 1)); each backoff is cut by up to half of it, so
            that messages refused together do not all come back together.
        name: who holds the leases (`worker_name()` by default).
        observe: told each message's outcome ("sent", "retry", "failed", "dropped"), for metrics.
    """

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        platform: str,
        sender: Sender,
        batch_size: int = 500,  # one UPDATE ... RETURNING: ~10 ms of SQLite's write lock for 500 rows
        concurrency: int = 8,
        interval: float = 0.5,
        backoff: timedelta = timedelta(seconds=5),
        max_backoff: timedelta = timedelta(minutes=15),
        lease: timedelta = outbox.LEASE,
        heartbeat: float = 5.0,
        grace: float = 5.0,
        jitter: Callable[[], float] = random.random,
        name: str | None = None,
        observe: Callable[[str], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.platform = platform
        self.sender = sender
        self.batch_size = batch_size
        self.interval = interval
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.lease = lease
        self.heartbeat = heartbeat
        self.grace = grace
        self.jitter = jitter
        self.name = name or worker_name()
        self.observe = observe
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> list[Outcome]:
        """Deliver one batch of due messages and say what became of each.

        Different recipients are served concurrently; one recipient's (or channel's) messages go one
        after another, oldest first, so that a conversation's questions arrive in order.
        """
        rows, expired = await self._mark_and_claim(limit=self.batch_size)
        groups = conversations(rows).values()
        batches = await asyncio.gather(*(self._in_order(group) for group in groups))
        outcomes = [o for batch in batches for o in batch] + [_expired(row) for row in expired]
        outcomes.sort(key=lambda o: o.message_id)
        sent = [o.message_id for o in outcomes if o.status == "sent"]
        if sent:
            # One write for the batch. Should it never happen, the rows come due again when their
            # lease ends, and the sender finds them in the conversation's history: none goes twice.
            await self._mark_and_claim(sent=sent, limit=0)
        return outcomes

    async def _mark_and_claim(
        self, *, limit: int, sent: Sequence[int] = ()
    ) -> tuple[list[Claimed], list[Claimed]]:
        """Mark `sent` and claim up to `limit` rows in one transaction, then let the sender prepare.
        Claimed rows already past their expiry are dropped in the same transaction. The rows to send,
        and those dropped.

        Shielded: a worker cancelled here still commits (or rolls back) and frees its connection;
        what it claimed comes due again when the lease ends."""

        async def claim() -> tuple[list[Claimed], list[Claimed]]:
            async with self.db.transaction() as session:
                now = self.clock.now()
                if sent:
                    await outbox_marks.mark_sent_many(session, message_ids=list(sent), now=now)
                if not limit:
                    return [], []
                rows = await outbox.claim_due(
                    session, platform=self.platform, now=now, limit=limit, lease=self.lease, worker=self.name
                )
                expired = [row for row in rows if row.expires_at <= now]
                if expired:
                    await outbox_marks.mark_expired_many(session, message_ids=[row.id for row in expired])
                    rows = [row for row in rows if row.expires_at > now]
                return rows, expired

        rows, expired = await asyncio.shield(claim())
        if expired:
            log.warning("%d outbox message(s) expired before they could be sent", len(expired))
            self._observe("dropped", len(expired))
        if rows and isinstance(self.sender, Preparing):
            try:
                await self.sender.prepare(rows)
            except Exception:  # the sender can still look each message up itself
                log.exception("preparing a delivery batch failed")
        return rows, expired

    async def _in_order(self, rows: list[Claimed]) -> list[Outcome]:
        return [await self._deliver(row) for row in rows]

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; then finish what is in hand for at most `grace` seconds and
        hand back (un-lease) what was not sent.

        The next batch is claimed while the last is still being sent (up to two batches in hand),
        so `concurrency` sends stay in flight instead of waiting for each batch's slowest send.
        Sent marks are written together, with the next claim.
        """
        pipeline = Pipeline(self)
        try:
            await self._keep_delivering(stop, pipeline)
            await self._wind_down(pipeline)
        finally:
            pipeline.close()

    async def _keep_delivering(self, stop: asyncio.Event, pipeline: Pipeline) -> None:
        loop = asyncio.get_running_loop()
        renewed_at = loop.time()
        while not stop.is_set():
            if loop.time() - renewed_at >= self.heartbeat:
                renewed_at = loop.time()
                await self._renew(pipeline)
            claim, marked = pipeline.room(), list(pipeline.sent)
            try:
                rows, _ = await self._mark_and_claim(limit=claim, sent=marked)
            except Exception:
                log.exception("delivery batch failed; trying again")
                await _pause(stop, self.interval)
                continue
            pipeline.marked(marked)
            pipeline.start(rows, drained=len(rows) < claim)
            await pipeline.wait(stop, interval=self.interval)

    async def _renew(self, pipeline: Pipeline) -> None:
        """The heartbeat: extend the leases of the rows in hand. Those another worker took meanwhile
        (this one stalled past its lease) are left to it."""
        held = pipeline.held()
        if not held:
            return
        until = self.clock.now() + self.lease
        try:
            async with self.db.transaction() as session:
                kept = await outbox_marks.renew(session, worker=self.name, message_ids=held, until=until)
        except Exception:  # the next heartbeat may succeed; a row whose lease runs out is not sent
            log.exception("renewing the delivery leases failed")
            return
        pipeline.renewed(kept, until=until)

    async def _wind_down(self, pipeline: Pipeline) -> None:
        """Finish the sends in hand for up to `grace` seconds, cut off the rest, then mark what was
        sent and hand back the others, in one write."""
        untried, interrupted = await pipeline.finish(within=self.grace)
        if untried or interrupted:
            log.info(
                "stopping: %d outbox message(s) handed back unsent, %d cut off mid-send",
                len(untried),
                len(interrupted),
            )

        async def write() -> None:
            async with self.db.transaction() as session:
                if pipeline.sent:
                    await outbox_marks.mark_sent_many(
                        session, message_ids=pipeline.sent, now=self.clock.now()
                    )
                await outbox_marks.release(
                    session, worker=self.name, untried=untried, interrupted=interrupted, now=self.clock.now()
                )

        try:
            await asyncio.shield(write())
        except Exception:  # the leases run out instead; nothing is sent twice
            log.exception("handing back the outbox messages in hand failed")

    async def _deliver(self, row: Claimed) -> Outcome:
        async with self._slots:
            return await self.attempt(row)

    async def attempt(self, row: Claimed) -> Outcome:
        """One send and what became of it (the pipeline's senders are the bound on concurrency)."""
        outcome = await self._send_once(row)
        self._observe(outcome.status)
        return outcome

    def _observe(self, status: str, count: int = 1) -> None:
        if self.observe is not None:
            for _ in range(count):
                self.observe(status)

    async def _send_once(self, row: Claimed) -> Outcome:
        if row.expires_at <= self.clock.now():  # it waited in hand past its use
            return await asyncio.shield(self._expire(row))
        try:
            await self.sender.send(row)
        except SendError as error:
            return await self._failed_attempt(row, error)
        except Exception as error:  # a bug in a sender must not stop the other messages
            log.exception("sender crashed on outbox message %s", row.id)
            return await self._failed_attempt(row, SendError(f"{type(error).__name__}: {error}"))
        return Outcome(message_id=row.id, status="sent")  # marked with the rest of the batch

    async def _failed_attempt(self, row: Claimed, error: SendError) -> Outcome:
        """Record a send that did not happen. Shielded: a send cut off at shutdown still records it."""
        return await asyncio.shield(self._record_failure(row, error))

    async def _record_failure(self, row: Claimed, error: SendError) -> Outcome:
        at = self.clock.now() + self.delay(attempts=row.attempts, retry_after=error.retry_after)
        async with self.db.transaction() as session:
            if error.permanent:
                log.warning("outbox message %s failed: %s", row.id, error.reason)
                await outbox_marks.mark_failed(
                    session, message_id=row.id, error=error.reason, worker=self.name
                )
                return Outcome(message_id=row.id, status="failed", error=error.reason)
            if at >= row.expires_at:
                reason = outbox_marks.expired_reason(error.reason)
                log.warning("outbox message %s dropped: %s", row.id, reason)
                await outbox_marks.mark_dropped(session, message_id=row.id, error=reason, worker=self.name)
                return Outcome(message_id=row.id, status="dropped", error=reason)
            await outbox_marks.mark_retry(
                session, message_id=row.id, at=at, error=error.reason, worker=self.name
            )
            return Outcome(message_id=row.id, status="retry", error=error.reason, retry_at=at)

    async def _expire(self, row: Claimed) -> Outcome:
        async with self.db.transaction() as session:
            await outbox_marks.mark_expired_many(session, message_ids=[row.id])
        log.warning("outbox message %s expired before it could be sent", row.id)
        return _expired(row)

    def delay(self, *, attempts: int, retry_after: float | None) -> timedelta:
        """How long to wait before the next try: what the platform asked for, else `backoff` doubled
        for each attempt up to `max_backoff`, less up to half of it at random."""
        if retry_after is not None:
            return timedelta(seconds=retry_after)
        capped = min(self.backoff * 2 ** min(max(attempts - 1, 0), 30), self.max_backoff)
        return capped * (1 - self.jitter() / 2)


def _expired(row: Claimed) -> Outcome:
    return Outcome(message_id=row.id, status="dropped", error=outbox_marks.EXPIRED)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
