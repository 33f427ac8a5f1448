"""Sending one claimed outbox message to Feishu, for the shared delivery worker (`adapters/delivery.py`).

A DM goes to the person's open_id (`receive_id_type=open_id`); someone with no Feishu identity yet but
an email (imported before they ever wrote to Rapport) is looked up by email (`batch_get_id`) and given
the identity, so one person is one person across platforms. A channel post goes to the group's chat_id.
A reply too long for one card is a few cards, sent in order (`send_parts`: a retry goes on after the
cards already out).

Feishu's rate limit waits `x-ogw-ratelimit-reset`; a 5xx or a page that is not JSON is retried with the
worker's backoff; a token Feishu rejects was already fetched again once by `FeishuApi`; a person outside
the app's availability, a chat the bot left, or a card Feishu refuses fail at once with Feishu's code and
message.
"""

from __future__ import annotations

from collections import deque

from adapters.app import App
from adapters.delivery import DeliveryWorker, SendError, send_parts
from adapters.feishu.api import FeishuApi, FeishuError
from adapters.feishu.inbound import PLATFORM
from adapters.feishu.render import content
from bot.replies import Reply
from store import profiles, reach
from store.outbox import Claimed

PREPARED_KEPT = 3  # the worker sends one batch while it claims the next


def _send_error(error: FeishuError) -> SendError:
    return SendError(error.reason, retry_after=error.retry_after, permanent=error.permanent)


class FeishuSender:
    """Sends one claimed outbox message as Feishu cards, or raises SendError."""

    platform = PLATFORM

    def __init__(self, *, app: App, api: FeishuApi) -> None:
        self.app = app
        self.api = api
        # The open_ids of the recipients of the last batches (organisation, person -> open_id).
        self._prepared: deque[dict[tuple[int, int], str]] = deque(maxlen=PREPARED_KEPT)

    async def prepare(self, messages: list[Claimed]) -> None:
        """Look up the open_ids of a batch's recipients at once, not two queries for each message."""
        wanted: dict[int, set[int | None]] = {}
        for message in messages:
            if message.kind != "channel" and message.recipient_id is not None:
                wanted.setdefault(message.org_id, set()).add(message.recipient_id)
        found: dict[tuple[int, int], str] = {}
        async with self.app.db.read() as session:
            for org_id, person_ids in wanted.items():
                targets = await reach.delivery_targets(
                    session, org_id=org_id, person_ids=person_ids, platform=PLATFORM
                )
                found.update({(org_id, pid): t.user_id for pid, t in targets.items() if pid and t.user_id})
        self._prepared.append(found)

    def _prepared_open_id(self, message: Claimed) -> str | None:
        for found in reversed(self._prepared):
            if open_id := found.get((message.org_id, message.recipient_id or 0)):
                return open_id
        return None

    async def _by_email(self, message: Claimed, email: str) -> str | None:
        try:
            found = await self.api.open_ids_by_email([email])
        except FeishuError as error:
            raise _send_error(error) from error
        open_id = found.get(email.lower())
        if open_id and message.recipient_id is not None:
            async with self.app.db.transaction() as session:
                await profiles.claim_identity(
                    session,
                    org_id=message.org_id,
                    person_id=message.recipient_id,
                    platform=PLATFORM,
                    user_id=open_id,
                )
        return open_id

    async def _target(self, message: Claimed) -> tuple[str, str]:
        if message.kind == "channel":
            if not message.channel_id:
                raise SendError("a channel post with no chat id", permanent=True)
            return "chat_id", message.channel_id
        if message.recipient_id is None:
            raise SendError("a direct message with no recipient", permanent=True)
        if open_id := self._prepared_open_id(message):
            return "open_id", open_id
        async with self.app.db.read() as session:
            target = await reach.delivery_target(
                session, org_id=message.org_id, person_id=message.recipient_id, platform=PLATFORM
            )
        open_id = target.user_id or (await self._by_email(message, target.email) if target.email else None)
        if not open_id:
            raise SendError("unreachable: no Feishu account is known for this person", permanent=True)
        return "open_id", open_id

    async def send(self, message: Claimed) -> None:
        receive_id_type, receive_id = await self._target(message)
        cards = content(Reply.from_dict(message.payload))

        async def send_one(_number: int, card: str) -> None:
            try:
                await self.api.send(receive_id_type=receive_id_type, receive_id=receive_id, card=card)
            except FeishuError as error:
                raise _send_error(error) from error

        await send_parts(self.app.db, message, cards, send_one)


def feishu_worker(app: App, sender: FeishuSender, **options) -> DeliveryWorker:
    """The delivery worker for Feishu."""
    return DeliveryWorker(
        db=app.db,
        clock=app.clock,
        platform=PLATFORM,
        sender=sender,
        observe=app.metrics.delivering(PLATFORM),
        **options,
    )
