"""DingTalk as a sender for the shared delivery worker (`adapters/delivery.py`).

DMs go through `oToMessages/batchSend`, which takes one message for up to 20 people: when the worker
claims a batch (`prepare`), the DMs whose message renders the same (a check-in prompt to a whole
team) are grouped by 20, and the first of a group to be sent sends for all of it. The rows DingTalk
took are marked sent at once, so that a worker stopping before it reaches them cannot send them again.
A recipient DingTalk throttled (`flowControlledStaffIdList`) gets a retry of their own message only;
one it does not know (`invalidStaffIdList`) fails at once, with that reason. A 403 QpsLimit is a retry
after a second; an expired token is fetched again by the API client. Group posts go through
`groupMessages/send`. A reply too long for one message goes as a few, in order, each once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from adapters.delivery import SendError
from adapters.dingtalk import render
from adapters.dingtalk.cards import Cards
from adapters.dingtalk.inbound import PLATFORM
from adapters.dingtalk.openapi import (
    MOST_RECIPIENTS,
    BatchResult,
    DingTalkApi,
    DingTalkError,
    Refused,
    Throttled,
)
from adapters.sending import send_parts
from bot.clock import Clock
from bot.replies import Reply
from store import outbox_marks, reach
from store.db import Database
from store.outbox import Claimed

PREPARED_KEPT = 3  # the worker sends one batch while it claims the next


@dataclass(eq=False)
class _Group:
    """DMs of one message to up to 20 people, sent in one call by whichever is sent first."""

    message: render.RobotMessage
    rows: dict[str, Claimed] = field(default_factory=dict)  # staff id -> row
    sending: asyncio.Task[BatchResult] | None = None


class DingTalkSender:
    """Delivers outbox messages to DingTalk. Holds the API client and the prepared groups."""

    platform = PLATFORM

    def __init__(self, *, db: Database, clock: Clock, api: DingTalkApi, cards: Cards | None = None) -> None:
        self.db = db
        self.clock = clock
        self.api = api
        self.cards = cards
        self._prepared: deque[tuple[dict[int, _Group], dict[tuple[int, int], str]]] = deque(maxlen=PREPARED_KEPT)

    async def prepare(self, messages: list[Claimed]) -> None:
        """Look up the batch's recipients' staff ids at once and group the DMs that can share a call."""
        wanted: dict[int, set[int | None]] = {}
        for message in messages:
            if message.kind == "dm":
                wanted.setdefault(message.org_id, set()).add(message.recipient_id)
        staff: dict[tuple[int, int], str] = {}
        async with self.db.read() as session:
            for org_id, person_ids in wanted.items():
                found = await reach.delivery_targets(
                    session, org_id=org_id, person_ids=person_ids, platform=PLATFORM
                )
                staff.update({(org_id, pid): t.user_id for pid, t in found.items() if pid and t.user_id})
        groups: dict[tuple, list[_Group]] = {}
        by_row: dict[int, _Group] = {}
        for message in messages:
            staff_id = staff.get((message.org_id, message.recipient_id or 0))
            if message.kind != "dm" or staff_id is None:
                continue
            rendered = render.messages(Reply.from_dict(message.payload))
            if len(rendered) != 1 or (self.cards and rendered[0].actions):
                continue  # a card goes to one person at a time
            key = (message.org_id, *rendered[0].openapi())
            chunks = groups.setdefault(key, [])
            if not chunks or len(chunks[-1].rows) >= MOST_RECIPIENTS or staff_id in chunks[-1].rows:
                chunks.append(_Group(message=rendered[0]))
            chunks[-1].rows[staff_id] = message
            by_row[message.id] = chunks[-1]
        self._prepared.append((by_row, staff))

    async def send(self, message: Claimed) -> None:
        """Send one outbox message, or raise SendError saying whether to retry."""
        try:
            if message.kind == "dm":
                await self._send_dm(message)
            else:
                await self._send_parts(message, lambda part: self._post(message.channel_id or "", part))
        except Throttled as error:
            raise SendError(error.reason, retry_after=error.retry_after) from error
        except Refused as error:
            raise SendError(error.reason, permanent=True) from error
        except DingTalkError as error:
            raise SendError(error.reason) from error

    async def _send_dm(self, message: Claimed) -> None:
        group, staff_id = self._prepared_for(message)
        if group is not None and staff_id is not None:
            if group.sending is None:
                group.sending = asyncio.ensure_future(self._send_group(group))
            result = await asyncio.shield(group.sending)
        else:
            staff_id = staff_id or await self._staff_id(message)
            result = await self._send_alone(message, staff_id)
        if result is None:
            return
        if staff_id in result.invalid:
            raise SendError(f"DingTalk does not know staff id {staff_id} (invalidStaffIdList)", permanent=True)
        if staff_id in result.throttled:
            raise SendError("DingTalk throttled this recipient (flowControlledStaffIdList)", retry_after=Throttled.retry_after)

    def _prepared_for(self, message: Claimed) -> tuple[_Group | None, str | None]:
        for by_row, staff in reversed(self._prepared):
            if message.id in by_row or (message.org_id, message.recipient_id or 0) in staff:
                return by_row.get(message.id), staff.get((message.org_id, message.recipient_id or 0))
        return None, None

    async def _send_group(self, group: _Group) -> BatchResult:
        """One call for the whole group; the rows it reached are marked sent at once."""
        result = await self.api.batch_send(list(group.rows), group.message)
        delivered = [row.id for sid, row in group.rows.items() if sid not in result.throttled | result.invalid]
        if delivered:
            async with self.db.transaction() as session:
                await outbox_marks.mark_sent_many(session, message_ids=delivered, now=self.clock.now())
        return result

    async def _send_alone(self, message: Claimed, staff_id: str) -> BatchResult | None:
        """A DM not grouped (several parts, or not prepared): each part once, to this person."""
        outcome: list[BatchResult] = []

        async def one(part: render.RobotMessage) -> None:
            if self.cards and part.actions:
                await self.cards.deliver(part, staff_id=staff_id)
                return
            result = await self.api.batch_send([staff_id], part)
            if result.throttled or result.invalid:
                outcome.append(result)
                raise _Stopped

        try:
            await self._send_parts(message, one)
        except _Stopped:
            return outcome[0]
        return None

    async def _post(self, conversation_id: str, part: render.RobotMessage) -> None:
        """One message into a group: a card when it has buttons and cards are set up."""
        if self.cards and part.actions:
            await self.cards.deliver(part, conversation_id=conversation_id)
        else:
            await self.api.group_send(conversation_id, part)

    async def _send_parts(self, message: Claimed, send: Callable) -> None:
        parts = render.messages(Reply.from_dict(message.payload))

        async def numbered(_number: int, part: render.RobotMessage) -> None:
            await send(part)

        await send_parts(self.db, message, parts, numbered)

    async def _staff_id(self, message: Claimed) -> str:
        async with self.db.read() as session:
            target = await reach.delivery_target(
                session, org_id=message.org_id, person_id=message.recipient_id, platform=PLATFORM
            )
        if target.user_id:
            return target.user_id
        raise SendError("no DingTalk account is known for this person", permanent=True)


class _Stopped(Exception):
    """A part DingTalk did not take: the rest of the message waits for the retry."""
