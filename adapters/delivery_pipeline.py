"""The messages `DeliveryWorker.run` has in hand: claimed, being sent, or sent and not yet marked."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from store.outbox import Claimed

if TYPE_CHECKING:
    from adapters.delivery import DeliveryWorker

log = logging.getLogger(__name__)
LOST = datetime.min.replace(tzinfo=UTC)  # the lease's end of a row another worker took from this one


def conversation(row: Claimed) -> tuple:
    return (row.org_id, row.kind, row.recipient_id, row.channel_id)


def conversations(rows: list[Claimed]) -> dict[tuple, list[Claimed]]:
    """Rows by conversation (organisation, kind, recipient, channel), each oldest first."""
    found: dict[tuple, list[Claimed]] = {}
    for row in rows:
        found.setdefault(conversation(row), []).append(row)
    return found


class Pipeline:
    """`concurrency` senders each take one conversation at a time and send its messages oldest first;
    a conversation's messages from a later batch join its queue behind the earlier ones.

    A row waiting here past its lease (its renewal failed, or the worker stalled) is not sent: another
    process may have claimed and sent it meanwhile. If this worker claims it again itself, the
    waiting row takes the new lease and keeps its place.
    """

    def __init__(self, worker: DeliveryWorker) -> None:
        self.worker = worker
        self.in_hand: dict[int, Claimed] = {}
        self.interrupted: list[int] = []  # cut off mid-send when the worker stopped
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

    def held(self) -> list[int]:
        """The rows whose leases this worker keeps: in hand, and sent but not yet marked."""
        return [*self.in_hand, *self.sent]

    def renewed(self, kept: set[int], *, until: datetime) -> None:
        """After a heartbeat: the rows still this worker's hold their lease `until`; the others are
        not sent from here."""
        for row_id, row in self.in_hand.items():
            row.next_attempt_at = until if row_id in kept else LOST

    def marked(self, ids: list[int]) -> None:
        del self.sent[: len(ids)]

    def start(self, rows: list[Claimed], *, drained: bool) -> None:
        """Queue `rows` for sending. Once the outbox is drained the next wait is for everything in
        hand to be done, not for room for another batch."""
        self.low_water = 0 if drained else self.worker.batch_size
        for row in rows:
            held = row.id in self.in_hand
            self.in_hand[row.id] = row  # claimed again while held: the new lease, the same place
            if held:
                continue
            key = conversation(row)
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
                except asyncio.CancelledError:
                    self.interrupted.append(row_id)
                    raise
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
            if (await self.worker.attempt(row)).status == "sent":
                self.sent.append(row.id)
        except Exception:  # recording the failure failed: the lease brings the row back
            log.exception("delivery of outbox message %s failed", row.id)

    async def wait(self, stop: asyncio.Event, *, interval: float) -> None:
        """Until there is room for another batch (or all is done), `interval` passes, or `stop` is set."""
        self.progress.clear()
        if len(self.in_hand) <= self.low_water and not self.idle():
            return
        waits = [asyncio.ensure_future(self.progress.wait()), asyncio.ensure_future(stop.wait())]
        _, pending = await asyncio.wait(waits, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
        for future in pending:
            future.cancel()

    async def finish(self, *, within: float) -> tuple[list[int], list[int]]:
        """Go on sending what is in hand for up to `within` seconds, then cut off the sends still in
        flight. The rows never tried, and those cut off mid-send (which may have gone out)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        self.low_water = 0
        while self.in_hand and (left := deadline - loop.time()) > 0:
            self.progress.clear()
            try:
                await asyncio.wait_for(self.progress.wait(), timeout=left)
            except TimeoutError:
                break
        self.close()
        await asyncio.gather(*self.senders, return_exceptions=True)
        return list(self.in_hand), list(self.interrupted)

    def close(self) -> None:
        for sender in self.senders:
            sender.cancel()
