"""Feishu's long connection: lark-oapi's own WebSocket client, connected to the fake Feishu, carries
the same events and card callbacks as the HTTP request URL; `rapport serve` with
FEISHU_LONG_CONNECTION=1 needs no public URL and mounts no `/feishu/events`."""

from __future__ import annotations

import asyncio

from adapters.feishu.api import FeishuApi
from adapters.feishu.events import FeishuEvents
from adapters.feishu.longconn import LongConnection
from adapters.feishu.sender import FeishuSender, feishu_worker
from adapters.feishu.settings import FeishuSettings
from tests.feishu.conftest import buttons_of, card_action, dm_chat, link_feishu_ids, message_event


async def test_kudos_and_a_card_press_over_the_long_connection(app, org, fake):
    await link_feishu_ids(app, org)
    settings = FeishuSettings(
        app_id=fake.app_id, app_secret=fake.app_secret, domain=fake.url, long_connection=True, org="acme"
    )
    api = FeishuApi(settings)
    events = FeishuEvents(app=app, settings=settings, api=api)
    worker = feishu_worker(app, FeishuSender(app=app, api=api), jitter=lambda: 0.0)
    stop = asyncio.Event()
    connection = asyncio.create_task(LongConnection(settings=settings, events=events).run(stop))
    try:
        assert await fake.long_connection.push(message_event("wei", "/kudos @bob 演示很棒")) == {}
        retried = message_event("alice", "/checkin", event_id="evt-1")
        await fake.long_connection.push(retried)
        await fake.long_connection.push(retried)  # Feishu delivers it again: acted on once
        await events.settle()
        await worker.run_once()

        to_bob = [s for s in fake.sent if s.receive_id == "ou_bob"]
        assert len(to_bob) == 1 and "演示很棒" in to_bob[0].text
        (question,) = [s for s in fake.sent if s.receive_id == "ou_alice" and buttons_of(s)]
        value = buttons_of(question)[4]["behaviors"][0]["value"]
        answer = await fake.long_connection.push(
            card_action("alice", value, chat_id=dm_chat("alice"), message_id=question.message_id)
        )
        assert "(2/7)" in str(answer["card"]["data"])
    finally:
        stop.set()
        await connection
    assert not fake.long_connection.sockets, "the connection is closed when the server stops"


async def test_a_wrong_secret_never_connects(app, org, fake):
    settings = FeishuSettings(app_id=fake.app_id, app_secret="wrong", domain=fake.url, long_connection=True)
    events = FeishuEvents(app=app, settings=settings, api=FeishuApi(settings))
    stop = asyncio.Event()
    connection = asyncio.create_task(LongConnection(settings=settings, events=events).run(stop))
    for _ in range(100):
        if fake.long_connection.refused_secret:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(connection, 10)
    assert fake.long_connection.refused_secret and not fake.long_connection.sockets
