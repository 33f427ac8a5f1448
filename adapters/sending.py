"""What the delivery worker (`adapters.delivery`) and each platform's sender share: what a sender is
(`Sender`, `Preparing`), what became of one message (`Outcome`), and `send_parts`, which sends the
platform messages one outbox message renders to, each once. Also the name a worker holds its leases
under (`worker_name`).
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable

from store import outbox_marks
from store.db import Database
from store.outbox import Claimed

Part = TypeVar("Part")


@dataclass(frozen=True, kw_only=True, slots=True)
class Outcome:
    """What happened to one message: "sent", "retry" (with when), "failed" or "dropped" (with why)."""

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
            done = await outbox_marks.parts_sent(session, message_id=message.id)
    for number, part in enumerate(parts):
        if number < done or number in gone_out:
            continue
        await send(number, part)
        if number < len(parts) - 1:
            async with db.transaction() as session:
                await outbox_marks.mark_parts_sent(session, message_id=message.id, count=number + 1)


class Sender(Protocol):
    """Sends one outbox message on one platform, or raises SendError."""

    async def send(self, message: Claimed) -> None: ...


@runtime_checkable
class Preparing(Protocol):
    """A sender that looks up what a whole batch needs at once before its messages are sent."""

    async def prepare(self, messages: list[Claimed]) -> None: ...


def worker_name() -> str:
    """Who holds a lease: this host and process, and a few random bytes (a pid can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[-64:]
