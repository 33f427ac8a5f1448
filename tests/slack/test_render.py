"""Block Kit rendering within Slack's limits, and the translation of payloads Slack sends."""

from __future__ import annotations

import json

from adapters.slack.inbound import to_event
from adapters.slack.render import (
    MAX_BLOCKS,
    MAX_HOME_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_TEXT,
    home_view,
    messages,
)
from bot.events import Action, Command, HomeOpened, Mention
from bot.i18n import Catalogue
from bot.replies import Button, Buttons, Choices, Context, Field, Option, Reply, Section, Text

CATALOGUE = Catalogue.load()
EN = CATALOGUE.messages("en")


def test_every_part_type_renders_to_its_block():
    reply = Reply(
        parts=(
            Text(text="Hi <b> & *you*"),
            Section(text="Check-in", fields=(Field(label="Mood", value="4"),)),
            Buttons(buttons=(Button(label="Yes", action_id="form.yes", value="1", style="primary"),)),
            Choices(
                action_id="form.rate", options=tuple(Option(label=str(i), value=str(i)) for i in range(1, 6))
            ),
            Context(text="from Rapport"),
        ),
        summary="Hi",
    )
    [message] = messages(reply)
    assert message["text"] == "Hi"
    blocks = message["blocks"]
    assert [b["type"] for b in blocks] == ["section", "section", "actions", "actions", "context"]
    assert blocks[0]["text"]["text"] == "Hi &lt;b&gt; &amp; *you*"
    assert blocks[1]["fields"] == [{"type": "mrkdwn", "text": "*Mood*\n4"}]
    assert blocks[2]["elements"][0]["style"] == "primary"
    assert [e["value"] for e in blocks[3]["elements"]] == ["1", "2", "3", "4", "5"]
    assert len({e["action_id"] for e in blocks[3]["elements"]}) == 5  # Slack wants them unique


def test_long_text_is_split_into_sections_slack_accepts():
    text = ("word " * 2000).strip()  # 9,999 characters
    [message] = messages(Reply.text(text))
    blocks = message["blocks"]
    assert len(blocks) == 4
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks)
    assert " ".join(b["text"]["text"] for b in blocks) == text
    assert len(message["text"]) <= 3000


def test_a_reply_of_more_blocks_than_a_message_holds_arrives_whole_as_two_messages():
    reply = Reply(parts=tuple(Text(text=f"line {i}") for i in range(80)), summary="Eighty lines")
    first, second = messages(reply)
    assert [len(first["blocks"]), len(second["blocks"])] == [MAX_BLOCKS, 30]
    shown = [b["text"]["text"] for m in (first, second) for b in m["blocks"]]
    assert shown == [f"line {i}" for i in range(80)]
    assert (first["text"], second["text"]) == ("Eighty lines", "line 50")


def test_app_home_is_one_view_cut_short_with_a_note_in_the_readers_language():
    reply = Reply(parts=tuple(Text(text=f"line {i}") for i in range(120)))
    blocks = home_view(reply, t=CATALOGUE.messages("zh-Hans"))
    assert len(blocks) == MAX_HOME_BLOCKS
    assert blocks[-2]["text"]["text"] == "line 98"
    assert "长度限制" in blocks[-1]["elements"][0]["text"]
    assert len(home_view(Reply(parts=reply.parts[:80]), t=EN)) == 80


def test_many_long_fields_and_buttons_are_spread_over_blocks_and_messages():
    section = Section(text="x", fields=tuple(Field(label=f"f{i}", value="v" * 3000) for i in range(23)))
    buttons = Buttons(buttons=tuple(Button(label="b" * 100, action_id="a") for _ in range(30)))
    sent = messages(Reply(parts=(section, buttons)))
    blocks = [b for m in sent for b in m["blocks"]]
    fields = [f for b in blocks for f in b.get("fields", [])]
    assert [f["text"][:4] for f in fields] == [f"*f{i}*"[:4] for i in range(23)]  # all, in order
    assert all(len(f["text"]) <= 2000 for f in fields)
    assert all(len(b.get("fields", [])) <= 10 for b in blocks)
    assert [len(b["elements"]) for b in blocks if b["type"] == "actions"] == [25, 5]
    assert all(len(e["text"]["text"]) <= 75 for b in blocks if b["type"] == "actions" for e in b["elements"])
    assert all(len(json.dumps(m["blocks"], ensure_ascii=False)) <= MAX_MESSAGE_CHARS for m in sent)


def test_a_mention_of_rapport_in_a_channel_is_a_command():
    body = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> Kudos <@U2|ann> thanks",
            "channel": "C1",
        },
    }
    event = to_event(body, bot_user_id="UBOT", commands={"kudos"})
    assert event == Command(
        actor=event.actor,
        channel=event.channel,
        event_id="Ev1",
        name="kudos",
        text="<@U2|ann> thanks",
        mentions=(Mention(text="<@U2|ann>", user_id="U2", label="@ann"),),
    )
    assert event.actor.org == "T1" and not event.channel.is_dm


def test_home_opened_and_modal_submissions():
    home = {
        "type": "event_callback",
        "team_id": "T1",
        "event_id": "Ev2",
        "event": {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"},
    }
    assert isinstance(to_event(home), HomeOpened)
    submission = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1", "team_id": "T1"},
        "view": {
            "id": "V1",
            "hash": "h1",
            "callback_id": "checkin.submit",
            "private_metadata": "42",
            "state": {
                "values": {
                    "b1": {"mood": {"type": "static_select", "selected_option": {"value": "4"}}},
                    "b2": {"notes": {"type": "plain_text_input", "value": "good week"}},
                }
            },
        },
    }
    action = to_event(submission)
    assert isinstance(action, Action)
    assert (action.action_id, action.value, dict(action.values)) == (
        "checkin.submit",
        "42",
        {"mood": "4", "notes": "good week"},
    )
    assert action.event_id.startswith("view:V1:h1:")
    corrected = {**submission["view"]["state"]["values"], "b2": {"notes": {"value": "a better week"}}}
    again = to_event({**submission, "view": {**submission["view"], "state": {"values": corrected}}})
    assert again.event_id != action.event_id  # a corrected submission is a new event
    assert to_event(submission).event_id == action.event_id  # a double submit is not


def test_the_notification_text_is_plain_and_escaped():
    """Slack's top-level text is what a notification shows: no *bold* or _italic_ marks."""
    reply = Reply(
        parts=(Text(text="*Digest*"),), summary="📋 *Review with <Alice>* & _you_, on snake_case_day"
    )
    [message] = messages(reply)
    assert message["text"] == "📋 Review with &lt;Alice&gt; &amp; you, on snake_case_day"
    assert message["blocks"][0]["text"]["text"] == "*Digest*"  # the message itself keeps its markup
