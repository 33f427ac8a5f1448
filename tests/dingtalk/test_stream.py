"""The Stream connection against the fake gateway: every push acked once handled, pings answered,
reconnection after a drop or a `disconnect` notice, and nothing handled twice across reconnects."""

from __future__ import annotations

import asyncio
import json

import pytest

from adapters.dingtalk.inbound import ROBOT_TOPIC
from adapters.dingtalk.stream import StreamClient


@pytest.fixture
async def stream(dingtalk, dingtalk_settings):
    handled: list[dict] = []
    gate = asyncio.Event()
    gate.set()

    async def handle(data, message_id):
        await gate.wait()
        handled.append(data)

    client = StreamClient(settings=dingtalk_settings, topics={ROBOT_TOPIC: handle}, backoff=0.05, max_backoff=0.2)
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    await dingtalk.connected()
    yield client, handled, gate
    stop.set()
    await asyncio.wait_for(task, 5)


async def test_a_push_is_acked_with_its_message_id_once_handled(dingtalk, stream):
    _, handled, _ = stream
    ack = await dingtalk.push(ROBOT_TOPIC, dingtalk.robot_message("bob", "hello"))
    assert ack["code"] == 200 and ack["headers"]["messageId"]
    assert [d["text"]["content"] for d in handled] == ["hello"]
    subscribed = dingtalk.calls[0][1]["subscriptions"]
    assert subscribed == [{"type": "CALLBACK", "topic": ROBOT_TOPIC}]


async def test_a_ping_is_answered_with_its_data(dingtalk, stream):
    ack = await dingtalk.ping()
    assert ack is not None and ack["code"] == 200
    assert "opaque" in json.loads(ack["data"])


async def test_a_disconnect_notice_brings_a_new_connection(dingtalk, stream):
    _, handled, _ = stream
    await dingtalk.disconnect()
    await asyncio.sleep(0.1)
    await dingtalk.connected()
    ack = await dingtalk.push(ROBOT_TOPIC, dingtalk.robot_message("bob", "after"))
    assert ack is not None and dingtalk.connections == 2
    assert [d["text"]["content"] for d in handled] == ["after"]


async def test_a_drop_mid_turn_loses_nothing_and_repeats_nothing(dingtalk, stream):
    """The connection drops while a message is being handled: it is pushed again on the next
    connection with the same message id, acked there, and handled only once."""
    _, handled, gate = stream
    gate.clear()
    pushed = asyncio.create_task(dingtalk.push(ROBOT_TOPIC, dingtalk.robot_message("bob", "3"), within=2))
    await asyncio.sleep(0.1)
    await dingtalk.drop()
    assert await pushed is None  # no ack on the old connection
    await dingtalk.connected()
    gate.set()
    for _ in range(100):
        if not dingtalk._unacked:
            break
        await asyncio.sleep(0.05)
    assert not dingtalk._unacked, "the message pushed again was acked"
    assert [d["text"]["content"] for d in handled] == ["3"]


async def test_a_gateway_outage_is_waited_out(dingtalk, dingtalk_settings):
    dingtalk.down = True
    client = StreamClient(settings=dingtalk_settings, topics={}, backoff=0.05, max_backoff=0.1)
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    await asyncio.sleep(0.3)
    assert client.connections == 0
    dingtalk.down = False
    await asyncio.wait_for(client.connected.wait(), 5)
    stop.set()
    await asyncio.wait_for(task, 5)
