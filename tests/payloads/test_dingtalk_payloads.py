"""Every message Rapport sends on DingTalk, over the whole tour in English and Chinese, is a robot
message DingTalk takes: the template its msgKey names with exactly that template's parameters, at most
five buttons, Markdown within DingTalk's size; every button's message reads back as its press, and a
long reply arrives whole."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from adapters.dingtalk.inbound import PRESS
from adapters.dingtalk.render import MAX_BUTTONS, MAX_TEXT, SEND_MESSAGE, markdown, messages
from bot.i18n import LOCALES
from bot.replies import Buttons, Choices, FormQuestion, Text
from tests.payloads.conftest import Corpus

# The robot message templates' parameters (DingTalk's msgKey reference)
TEMPLATES = {
    "sampleMarkdown": {"title", "text"},
    "sampleActionCard": {"title", "text", "singleTitle", "singleURL"},
    **{
        f"sampleActionCard{n}": {"title", "text"} | {f"action{k}{i}" for i in range(1, n + 1) for k in ("Title", "URL")}
        for n in range(2, MAX_BUTTONS + 1)
    },
}


@pytest.fixture(params=LOCALES)
def corpus(corpora, request) -> Corpus:
    return corpora[request.param]


def test_every_message_is_a_template_dingtalk_takes(corpus):
    problems = {}
    for said in corpus.said:
        for number, message in enumerate(messages(said.reply)):
            key, param = message.openapi()
            data = json.loads(param)
            label = f"{said.label} ({number + 1})"
            if key not in TEMPLATES or set(data) != TEMPLATES[key]:
                problems[label] = f"{key}: {sorted(data)}"
            elif not data["title"] or len(data["text"]) > MAX_TEXT + 100:
                problems[label] = f"title {data['title']!r}, text of {len(data['text'])} characters"
            elif message.webhook()["msgtype"] not in ("markdown", "actionCard"):
                problems[label] = "webhook body"
    assert problems == {}


def test_every_button_sends_what_reads_back_as_its_press(corpus):
    wrong = {}
    for said in corpus.said:
        buttons = [p for p in said.reply.parts if isinstance(p, Buttons | Choices | FormQuestion)]
        for message in messages(said.reply):
            for (_, url), (_, sent) in zip(message.links(), message.buttons, strict=True):
                assert url.startswith(SEND_MESSAGE) and unquote(url.removeprefix(SEND_MESSAGE)) == sent
                typed_answer = any(isinstance(p, FormQuestion) for p in buttons) and PRESS.match(sent) is None
                if not typed_answer and PRESS.match(sent) is None:
                    wrong[said.label] = sent
    assert wrong == {}


def test_a_long_reply_arrives_whole(corpus):
    """Each paragraph's Markdown is in the messages, in one piece but for the whitespace at a break."""
    for said in corpus.said:
        sent = "".join("".join(m.text.split()) for m in messages(said.reply))
        for part in said.reply.parts:
            if isinstance(part, Text):
                assert "".join(markdown(part.text).split()) in sent, said.label
