"""With DINGTALK_CARD_TEMPLATE_ID: a message with buttons is an interactive card; a click comes back
over the stream and the card shows the answer in place."""

from __future__ import annotations

import dataclasses
import json

import pytest

from adapters.dingtalk.inbound import CARD_TOPIC
from adapters.dingtalk.platform import DingTalkPlatform
from tests.dingtalk.fake import CORP
from tests.dingtalk.harness import DingTalkChat


@pytest.fixture
async def carded(app, org, dingtalk, dingtalk_settings):
    settings = dataclasses.replace(dingtalk_settings, card_template_id="tpl.rapport")
    chat = DingTalkChat(app=app, fake=dingtalk, platform=DingTalkPlatform(runtime=app, settings=settings, backoff=0.05))
    await chat.start()
    yield chat
    await chat.close()


def _params(sent) -> dict:
    return sent.body["cardData"]["cardParamMap"]


async def _click(dingtalk, card, who: str, answer: str) -> dict:
    """Click the button of the card that answers `answer` (a form option's value)."""
    [button] = [b for b in json.loads(_params(card)["buttons"]) if b["value"].endswith(f"/{answer}")]
    content = {"cardPrivateData": {"actionIds": ["press"], "params": {"action_id": button["action_id"], "value": button["value"]}}}
    data = {"corpId": CORP, "userId": who, "outTrackId": card.body["outTrackId"], "spaceType": "IM_ROBOT",
            "type": "actionCallback", "content": json.dumps(content)}  # fmt: skip
    return await dingtalk.push(CARD_TOPIC, data)


async def test_a_check_in_question_is_a_card_and_a_click_answers_it_in_place(carded, dingtalk):
    await carded.say("bob", "/checkin")
    [card] = [s for s in dingtalk.sent if s.api == "card"]
    assert card.body["cardTemplateId"] == "tpl.rapport" and card.body["callbackType"] == "STREAM"
    assert card.body["openSpaceId"] == "dtv1.card//IM_ROBOT.bob"
    assert "How was your week" in _params(card)["markdown"]
    assert len(json.loads(_params(card)["buttons"])) == 5
    ack = await _click(dingtalk, card, "bob", "4")
    assert ack["code"] == 200
    [update] = [s for s in dingtalk.sent if s.api == "card-update"]
    assert update.to == card.body["outTrackId"]
    assert "(2/7)" in _params(update)["markdown"]  # the next question, in the same card


async def test_a_double_click_answers_once(carded, dingtalk):
    await carded.say("bob", "/checkin")
    [card] = [s for s in dingtalk.sent if s.api == "card"]
    await _click(dingtalk, card, "bob", "4")
    await dingtalk.push(CARD_TOPIC, json.loads(dingtalk.pushed[-1]["data"]))  # clicked again: a new push
    assert len([s for s in dingtalk.sent if s.api == "card-update"]) == 1
