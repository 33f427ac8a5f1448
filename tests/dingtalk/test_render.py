"""Replies as DingTalk robot messages, within what DingTalk takes: the template named by msgKey with
exactly its parameters, at most five buttons, Markdown under the size limit, nothing cut."""

from __future__ import annotations

import json

from adapters.dingtalk.render import MAX_TEXT, messages
from bot.parse import mention_of
from bot.replies import Button, Buttons, Choices, Context, Field, Option, Reply, Section, Text

# The robot message templates' parameters (DingTalk's msgKey reference)
TEMPLATES = {
    "sampleMarkdown": {"title", "text"},
    "sampleActionCard": {"title", "text", "singleTitle", "singleURL"},
    **{
        f"sampleActionCard{n}": {"title", "text"} | {f"action{k}{i}" for i in range(1, n + 1) for k in ("Title", "URL")}
        for n in range(2, 6)
    },
}


def _check(reply: Reply) -> list[dict]:
    found = []
    for message in messages(reply):
        key, param = message.openapi()
        data = json.loads(param)
        assert set(data) == TEMPLATES[key], key
        assert len(data["text"]) <= MAX_TEXT and data["title"]
        webhook = message.webhook()
        assert webhook["msgtype"] in ("markdown", "actionCard")
        found.append(data)
    return found


def test_markup_and_mentions_read_as_people_read_them():
    [data] = _check(Reply.text(f"*Kudos* from {mention_of(3, '张伟')} _today_\nsecond line"))
    assert data["text"] == "**Kudos** from @张伟 *today*  \nsecond line"


def test_a_section_lists_its_fields():
    [data] = _check(Reply(parts=(Section(text="Check-in", fields=(Field(label="Mood", value="4"),)),)))
    assert "- **Mood**: 4" in data["text"]


def test_many_options_are_numbered_and_their_buttons_spread_over_cards():
    options = tuple(Option(label=f"Option {n}", value=str(n)) for n in range(1, 9))
    found = _check(Reply(parts=(Text(text="Pick one"), Choices(action_id="pick", options=options))))
    assert [len([k for k in d if k.startswith("actionTitle")]) for d in found] == [5, 3]
    assert "8. Option 8" in found[0]["text"]


def test_a_single_button_is_a_single_action_card():
    [data] = _check(Reply(parts=(Text(text="Share?"), Buttons(buttons=(Button(label="Share", action_id="feedback.share", value="1"),)))))
    assert data["singleTitle"] == "Share"


def test_a_long_reply_is_split_between_parts_and_nothing_is_left_out():
    parts = tuple(Text(text=f"Paragraph {n}: " + "很好 " * 300) for n in range(20))
    found = _check(Reply(parts=(*parts, Context(text="the end"))))
    assert len(found) > 1
    text = "".join(d["text"] for d in found)
    assert all(f"Paragraph {n}:" in text for n in range(20)) and "the end" in text


def test_inline_code_reads_as_plain_words():
    [data] = _check(Reply.text("Type `/kudos @ann thanks` to thank someone"))
    assert data["text"] == "Type /kudos @ann thanks to thank someone"
