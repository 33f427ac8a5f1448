"""The pure halves of the adapter: activity → event, reply → Adaptive Card."""

from __future__ import annotations

import json

from adapters.teams.bot import message_activities
from adapters.teams.render import MAX_CARD_BYTES, cards
from adapters.teams.translate import LOCAL_TENANT, to_event
from bot.events import Action, Command, MemberJoined, Mention, Message
from bot.replies import Button, Buttons, Choices, Context, Field, Option, Reply, Section, Text
from tests.teams.conftest import activity, mention

COMMANDS = {"kudos", "help", "点赞"}


def event(**fields):
    return to_event(activity("bob", service_url="http://127.0.0.1:1", **fields), commands=COMMANDS)


def test_a_typed_command_carries_its_mentions_and_the_actor():
    got = event(
        text="kudos <at>Alice Smith</at> great demo",
        entities=[mention("alice")],
        localTimezone="Europe/Berlin",
    )
    assert isinstance(got, Command) and got.name == "kudos"
    assert got.text == "<at>Alice Smith</at> great demo"
    assert got.mentions == (Mention(text="<at>Alice Smith</at>", user_id="29:alice", label="Alice Smith"),)
    assert (got.actor.platform, got.actor.org, got.actor.user_id) == ("teams", "tenant-acme", "29:bob")
    assert (got.actor.locale, got.actor.timezone) == ("en-US", "Europe/Berlin")
    assert got.channel.is_dm and got.event_id.startswith("activity-")


def test_a_chinese_command_and_plain_text():
    assert event(text="点赞 <at>张伟</at> 谢谢").name == "点赞"
    got = event(text="thanks for yesterday")
    assert isinstance(got, Message) and got.text == "thanks for yesterday"


def test_the_timezone_comes_from_client_info_when_there_is_no_local_timezone():
    got = event(
        text="help", entities=[{"type": "clientInfo", "timezone": "Asia/Shanghai", "locale": "zh-CN"}]
    )
    assert got.actor.timezone == "Asia/Shanghai"


def test_no_tenant_is_the_local_tenant_and_installs_are_member_joined():
    got = event(
        type="conversationUpdate",
        membersAdded=[{"id": "28:rapport-bot"}],
        channelData={},
        conversation={"id": "c"},
    )
    assert isinstance(got, MemberJoined) and got.actor.org == LOCAL_TENANT
    assert event(type="installationUpdate", action="remove") is None
    assert event(type="typing") is None


def test_a_submission_without_an_action_id_is_ignored():
    assert event(value={"comment": "x"}) is None
    got = event(value={"action_id": "a", "value": 3, "note": None})
    assert isinstance(got, Action) and (got.value, dict(got.values)) == ("3", {"note": ""})


def test_each_part_renders_to_its_card_element():
    reply = Reply(
        parts=(
            Text(text="*Hello*"),
            Section(text="Week", fields=(Field(label="Mood", value="4"),)),
            Buttons(buttons=(Button(label="Done", action_id="item.done", value="7", style="primary"),)),
            Choices(
                action_id="checkin.mood", options=(Option(label="1", value="1"), Option(label="5", value="5"))
            ),
            Context(text="from Carol"),
        ),
        summary="Hello",
    )
    [card] = cards(reply)
    assert card["version"] == "1.5" and card["fallbackText"] == "Hello"
    kinds = [e["type"] for e in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "FactSet", "ActionSet", "ActionSet", "TextBlock"]
    assert card["body"][0]["text"] == "**Hello**"
    done = card["body"][3]["actions"][0]
    assert done == {
        "type": "Action.Submit",
        "title": "Done",
        "data": {"action_id": "item.done", "value": "7"},
        "style": "positive",
    }
    assert [a["data"]["value"] for a in card["body"][4]["actions"]] == ["1", "5"]
    assert card["body"][5]["isSubtle"] is True


def test_a_huge_reply_arrives_whole_as_several_cards_within_teams_message_size():
    reply = Reply(parts=tuple(Text(text=f"{i} " + "长" * 2000) for i in range(20)), summary="*big*")
    found = cards(reply)
    assert [len(card["body"]) for card in found] == [3, 3, 3, 3, 3, 3, 2]
    assert all(len(json.dumps(card, ensure_ascii=False).encode()) <= MAX_CARD_BYTES for card in found)
    assert [element["text"] for card in found for element in card["body"]] == [p.text for p in reply.parts]
    # Each card's fallback is plain text: the summary first, then each later card's first line, cut short.
    assert found[0]["fallbackText"] == "big"
    assert [card["fallbackText"][:3] for card in found[1:]] == ["3 长", "6 长", "9 长", "12 ", "15 ", "18 "]
    assert all(card["fallbackText"].endswith("…") for card in found[1:])


def test_the_summary_and_fallback_are_plain_text():
    """What a notification or an old client shows is plain: no *bold* or _italic_ marks."""
    reply = Reply(parts=(Text(text="*Digest*"),), summary="📋 *Review with Alice*: _Background_ first")
    [activity] = message_activities(reply)
    card = activity["attachments"][0]["content"]
    assert activity["summary"] == card["fallbackText"] == "📋 Review with Alice: Background first"
    assert card["body"][0]["text"] == "**Digest**"
