"""Feishu as a sender for the shared delivery worker (`adapters/delivery.py`).

A DM goes to the person's open_id (`receive_id_type=open_id`), a channel post to the group's chat_id.
A reply too long for one card is a few cards, sent in order (`send_parts`: a retry goes on after the
cards already out). Feishu's rate limit waits `x-ogw-ratelimit-reset`; a 5xx or a page that is not
JSON is retried with the worker's backoff; a token Feishu rejects was already fetched again once by
`FeishuApi`; a person outside the app's availability, a chat the bot left, or a card Feishu refuses
fail at once with Feishu's code and message.
"""

from __future__ import annotations

from adapters.app import App
from adapters.delivery import DeliveryWorker, SendError, send_parts
from adapters.feishu.api import FeishuApi, FeishuError
from adapters.feishu.inbound import PLATFORM
from adapters.feishu.render import content
from bot.replies import Reply
from store import feishu as feishu_store
from store.outbox import Claimed


class FeishuSender:
    """Sends one claimed outbox message as Feishu cards, or raises SendError."""

    platform = PLATFORM

    def __init__(self, *, app: App, api: FeishuApi) -> None:
        self.app = app
        self.api = api

    async def _target(self, message: Claimed) -> tuple[str, str]:
        if message.kind == "channel":
            if not message.channel_id:
                raise SendError("a channel post with no chat id", permanent=True)
            return "chat_id", message.channel_id
        if message.recipient_id is None:
            raise SendError("a direct message with no recipient", permanent=True)
        async with self.app.db.read() as session:
            open_id, _email = await feishu_store.recipient(
                session, org_id=message.org_id, person_id=message.recipient_id
            )
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
                raise SendError(error.reason, retry_after=error.retry_after, permanent=error.permanent) from error

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
