"""A check-in over DingTalk whose connection drops mid-answer: the answer DingTalk pushes again is
handled once, no answer is lost, and the check-in finishes with every answer."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from adapters.dingtalk.inbound import ROBOT_TOPIC
from store.checkin_models import FormSession

ANSWERS = ["4", "Shipped the release", "skip", "no", "skip", "Finish the migration", "skip"]


async def test_a_drop_in_the_middle_of_a_check_in_loses_no_answer(ding, dingtalk):
    await ding.say("bob", "checkin")
    answer = ding.platform.answer
    held = asyncio.Event()

    async def slow_answer(data, reply):  # the turn is done; its reply and ack wait
        if data["text"]["content"] == ANSWERS[1]:
            await held.wait()
        await answer(data, reply)

    ding.platform.answer = slow_answer
    for text in ANSWERS:
        if text != ANSWERS[1]:
            await ding.say("bob", text)
            continue
        message = dingtalk.robot_message("bob", text)
        pushed = asyncio.create_task(dingtalk.push(ROBOT_TOPIC, message, within=3))
        await asyncio.sleep(0.2)
        await dingtalk.drop()  # mid-turn: no ack on this connection
        await dingtalk.connected()  # the client is back, and DingTalk pushes the message again
        held.set()
        assert await pushed is None
        for _ in range(100):
            if not dingtalk._unacked:
                break
            await asyncio.sleep(0.05)
        assert not dingtalk._unacked
    async with ding.app.db.read() as session:
        [form] = list(await session.scalars(select(FormSession)))
    assert form.status == "done"
    assert form.answers["mood"] == 4 and form.answers["went_well"] == "Shipped the release"
    assert form.answers["priorities"] == "Finish the migration"
    replies = [s.text for s in dingtalk.sent if s.api == "webhook"]
    assert sum("(3/7)" in r for r in replies) == 1  # the question after the dropped answer, once
