"""The delivery worker: sends what the core left in the outbox, once each, whatever the platform.

Claiming a row counts the attempt and leases it before anything is sent, so a worker that dies
mid-send leaves a row that comes due again when the lease runs out; its sender then checks whether
the message went out before sending it again. Rate limits and server errors are retried with backoff;
after `max_attempts` a message is marked failed with the reason (`rapport outbox --failed`).

`run` (what `rapport serve` uses) is a pipeline: it claims the next batch while the last is still being
sent, so the sends in flight never drain to wait for a batch's slowest one (a 429's Retry-After),
and it marks sent rows in one write with the next claim. `run_once` delivers one batch to the end.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar, runtime_checkable

from bot.clock import Clock
from store import outbox
from store.db import Database
from store.outbox import Claimed

log = logging.getLogger(__name__)

Part = TypeVar("Part")


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


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """What happened to one message: "sent", "retry" (with when) or "failed" (with why)."""

    message_id: int
    status: str
    error: str = ""
    retry_at: datetime | None = None


async def send_parts(
    db: Database,
    message: Claimed,
    parts: Sequence[Part],
    send: Callable[[int, Part], Awaitable[None]],
    *,
    gone_out: Collection[int] = (),
) -> None:
    """Send the platform messages one outbox message renders to, in order, each once.

    A reply too long for one platform message stays one outbox row. After each part but the last,
    the row records how many went out, so that a retry (a 429 on the third of three, a crash) goes on
    from the first part not yet taken; `gone_out` names parts the platform shows it has already
    (Slack's history). A crash between a part's send and its record can repeat that one part, on a
    platform that cannot be asked.

    Args:
        db: where the row's progress is kept.
        message: the claimed row.
        parts: what it renders to (most messages: one).
        send: sends part number `n`.
        gone_out: part numbers known to be in the conversation already.
    """
    done = 0
    if len(parts) > 1:  # read whatever the attempt: a row handed back unsent may have parts out
        async with db.read() as session:
            done = await outbox.parts_sent(session, message_id=message.id)
    for number, part in enumerate(parts):
        if number < done or number in gone_out:
            continue
        await send(number, part)
        if number < len(parts) - 1:
            async with db.transaction() as session:
                await outbox.mark_parts_sent(session, message_id=message.id, count=number + 1)


class Sender(Protocol):
    """Sends one outbox message on one platform, or raises SendError."""

    async def send(self, message: Claimed) -> None: ...


@runtime_checkable
class Preparing(Protocol):
    """A sender that looks up what a whole batch needs at once before its messages are sent."""

    async def prepare(self, messages: list[Claimed]) -> None: ...


class DeliveryWorker:
    """Claims due outbox rows for one platform and hands each to that platform's sender."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        platform: str,
        sender: Sender,
        batch_size: int = 500,  # one UPDATE ... RETURNING: ~10 ms of SQLite's write lock for 500 rows
        concurrency: int = 8,
        max_attempts: int = 5,
        interval: float = 0.5,
        backoff: timedelta = timedelta(seconds=5),
        max_backoff: timedelta = timedelta(minutes=15),
        lease: timedelta = timedelta(minutes=5),
        observe: Callable[[str], None] | None = None,  # each attempt's outcome ("sent", "retry", ...)
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
        self.concurrency = concurrency
        self.observe = observe
        self._slots = asyncio.Semaphore(concurrency)

    async def run_once(self) -> list[Outcome]:
        """Deliver one batch of due messages and say what became of each.

        Different recipients are served concurrently; one recipient's (or channel's) messages go one
        after another, oldest first, so that a conversation's questions arrive in order.
        """
        rows = await self._mark_and_claim(limit=self.batch_size)
        conversations = _conversations(rows)
        batches = await asyncio.gather(*(self._in_order(group) for group in conversations.values()))
        outcomes = sorted((o for batch in batches for o in batch), key=lambda o: o.message_id)
        sent = [o.message_id for o in outcomes if o.status == "sent"]
        if sent:
            # One write for the batch. Should it never happen, the rows come due again when their
            # lease ends, and the sender finds them in the conversation's history: none goes twice.
            await self._mark_and_claim(sent=sent, limit=0)
        return outcomes

    async def _mark_and_claim(self, *, limit: int, sent: Sequence[int] = ()) -> list[Claimed]:
        """Mark `sent` and claim up to `limit` rows in one transaction, then let the sender prepare.

        Shielded: a worker cancelled here still commits (or rolls back) and frees its connection;
        what it claimed comes due again when the lease ends."""

        async def claim() -> list[Claimed]:
            async with self.db.transaction() as session:
                if sent:
                    await outbox.mark_sent_many(session, message_ids=list(sent), now=self.clock.now())
                if not limit:
                    return []
                return await outbox.claim_due(
                    session, platform=self.platform, now=self.clock.now(), limit=limit, lease=self.lease
                )

        rows = await asyncio.shield(claim())
        if rows and isinstance(self.sender, Preparing):
            try:
                await self.sender.prepare(rows)
            except Exception:  # the sender can still look each message up itself
                log.exception("preparing a delivery batch failed")
        return rows

    async def _in_order(self, rows: list[Claimed]) -> list[Outcome]:
        return [await self._deliver(row) for row in rows]

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the messages in hand are finished and marked first.

        The next batch is claimed while the last is still being sent (up to two batches in hand),
        so `concurrency` sends stay in flight instead of waiting for each batch's slowest send.
        Sent marks are written together, with the next claim.
        """
        pipeline = _Pipeline(self)
        try:
            while True:
                claim, marked = 0 if stop.is_set() else pipeline.room(), list(pipeline.sent)
                try:
                    rows = await self._mark_and_claim(limit=claim, sent=marked)
                except Exception:
                    log.exception("delivery batch failed; trying again")
                    await _pause(stop, self.interval)
                    continue
                pipeline.marked(marked)
                pipeline.start(rows, drained=stop.is_set() or len(rows) < claim)
                if stop.is_set() and pipeline.idle():
                    return
                await pipeline.wait(stop, interval=None if stop.is_set() else self.interval)
        finally:
            pipeline.close()

    async def _deliver(self, row: Claimed) -> Outcome:
        async with self._slots:
            return await self._attempt(row)

    async def _attempt(self, row: Claimed) -> Outcome:
        """One send and what became of it (the pipeline's senders are the bound on concurrency)."""
        outcome = await self._send_once(row)
        if self.observe is not None:
            self.observe(outcome.status)
        return outcome

    async def _send_once(self, row: Claimed) -> Outcome:
        try:
            await self.sender.send(row)
        except SendError as error:
            return await self._failed_attempt(row, error)
        except Exception as error:  # a bug in a sender must not stop the other messages
            log.exception("sender crashed on outbox message %s", row.id)
            return await self._failed_attempt(row, SendError(f"{type(error).__name__}: {error}"))
        return Outcome(message_id=row.id, status="sent")  # marked with the rest of the batch

    async def _failed_attempt(self, row: Claimed, error: SendError) -> Outcome:
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


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass


def _conversation(row: Claimed) -> tuple:
    return (row.org_id, row.kind, row.recipient_id, row.channel_id)


def _conversations(rows: list[Claimed]) -> dict[tuple, list[Claimed]]:
    """Rows by conversation (organisation, kind, recipient, channel), each oldest first."""
    conversations: dict[tuple, list[Claimed]] = {}
    for row in rows:
        conversations.setdefault(_conversation(row), []).append(row)
    return conversations


class _Pipeline:
    """The messages `DeliveryWorker.run` has in hand: claimed, being sent, or sent and not yet marked.

    `concurrency` senders each take one conversation at a time and send its messages oldest first;
    a conversation's messages from a later batch join its queue behind the earlier ones.

    A row waiting here past its lease (long Retry-After waits ahead of it) is not sent: another
    process may have claimed and sent it meanwhile. If this worker claims it again itself, the
    waiting row takes the new lease and keeps its place.
    """

    def __init__(self, worker: DeliveryWorker) -> None:
        self.worker = worker
        self.in_hand: dict[int, Claimed] = {}
        self.sent: list[int] = []
        self.conversations: dict[tuple, deque[int]] = {}  # outbox ids, oldest first
        self.ready: asyncio.Queue[tuple] = asyncio.Queue()
        self.low_water = worker.batch_size
        self.progress = asyncio.Event()
        self.senders = [asyncio.create_task(self._sending()) for _ in range(worker.concurrency)]

    def room(self) -> int:
        """How many rows to claim: a batch when at most one batch is in hand, else none. With nothing
        in hand, a few rows for each sender first, so that sending starts while the batch is claimed."""
        if not self.in_hand:
            return min(self.worker.batch_size, 4 * self.worker.concurrency)
        return self.worker.batch_size if len(self.in_hand) <= self.worker.batch_size else 0

    def idle(self) -> bool:
        return not self.in_hand and not self.sent

    def marked(self, ids: list[int]) -> None:
        del self.sent[: len(ids)]

    def start(self, rows: list[Claimed], *, drained: bool) -> None:
        """Queue `rows` for sending. Once the outbox is drained (or the worker stops) the next wait is
        for everything in hand to be done, not for room for another batch."""
        self.low_water = 0 if drained else self.worker.batch_size
        for row in rows:
            held = row.id in self.in_hand
            self.in_hand[row.id] = row  # claimed again while held: the new lease, the same place
            if held:
                continue
            key = _conversation(row)
            if key in self.conversations:
                self.conversations[key].append(row.id)
            else:
                self.conversations[key] = deque([row.id])
                self.ready.put_nowait(key)

    async def _sending(self) -> None:
        while True:
            key = await self.ready.get()
            queue = self.conversations[key]
            while queue:  # rows claimed meanwhile for this conversation join the queue's end
                row_id = queue[0]
                try:
                    await self._send(self.in_hand[row_id])
                finally:
                    queue.popleft()
                    del self.in_hand[row_id]
                if len(self.in_hand) <= self.low_water:
                    self.progress.set()
            del self.conversations[key]

    async def _send(self, row: Claimed) -> None:
        if row.next_attempt_at <= self.worker.clock.now():
            log.warning("outbox message %s waited past its lease; left to whoever claims it", row.id)
            return
        try:
            if (await self.worker._attempt(row)).status == "sent":
                self.sent.append(row.id)
        except Exception:  # recording the failure failed: the lease brings the row back
            log.exception("delivery of outbox message %s failed", row.id)

    async def wait(self, stop: asyncio.Event, *, interval: float | None) -> None:
        """Until there is room for another batch (or all is done), `interval` passes, or `stop` is set."""
        self.progress.clear()
        if len(self.in_hand) <= self.low_water and not self.idle():
            return
        waits = [asyncio.ensure_future(self.progress.wait())]
        if not stop.is_set():
            waits.append(asyncio.ensure_future(stop.wait()))
        _, pending = await asyncio.wait(waits, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
        for future in pending:
            future.cancel()

    def close(self) -> None:
        for sender in self.senders:
            sender.cancel()
