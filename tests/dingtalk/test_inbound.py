"""Robot messages and card clicks as core events: commands with or without the slash, mentions with
their staff ids, a group message without the robot's @, button presses read back."""

from __future__ import annotations

import json

from adapters.dingtalk import render
from adapters.dingtalk.inbound import card_action, to_event
from bot.events import Action, Command, Mention, Message
from bot.replies import Button, Buttons, FormQuestion, Option, Reply
from tests.dingtalk.fake import FakeDingTalk

COMMANDS = ("kudos", "help", "checkin", "rapport")
fake = FakeDingTalk()


def test_a_typed_command_with_a_picked_mention():
    data = fake.robot_message("bob", "/kudos @张伟 演示很棒 #ownership", at=("wei",))
    event = to_event(data, commands=COMMANDS)
    assert isinstance(event, Command) and event.name == "kudos"
    assert event.text == "@张伟 演示很棒 #ownership"
    assert event.mentions == (Mention(text="@张伟", user_id="wei", label="@张伟"),)
    assert event.actor.platform == "dingtalk" and event.actor.user_id == "bob"
    assert event.channel.is_dm and event.event_id == data["msgId"]


def test_a_command_without_the_slash_in_a_group_where_the_robot_was_mentioned():
    data = fake.robot_message("bob", " kudos @Alice Smith great demo", at=("alice",), group="cidGROUP")
    event = to_event(data, commands=COMMANDS)
    assert isinstance(event, Command) and event.name == "kudos"
    assert not event.channel.is_dm and event.channel.id == "cidGROUP"
    assert [m.user_id for m in event.mentions] == ["alice"]  # the robot's own @ is left out


def test_a_name_typed_without_picking_it_is_left_for_the_directory():
    data = fake.robot_message("bob", "kudos @张伟 @李娜 thanks", at=("wei",))
    event = to_event(data, commands=COMMANDS)
    assert [m.user_id for m in event.mentions] == [None, None]


def test_free_text_is_a_message():
    event = to_event(fake.robot_message("bob", "进展顺利"), commands=COMMANDS)
    assert isinstance(event, Message) and event.text == "进展顺利"


def test_a_picture_or_an_empty_text_asks_nothing():
    data = fake.robot_message("bob", "   ")
    assert to_event(data, commands=COMMANDS) is None
    picture = {**data, "msgtype": "picture", "content": {"downloadCode": "x"}}
    del picture["text"]
    assert to_event(picture, commands=COMMANDS) is None
    assert to_event({**data, "senderStaffId": ""}, commands=COMMANDS) is None


def test_a_button_sends_a_message_that_reads_back_as_its_press():
    reply = Reply(parts=(Buttons(buttons=(Button(label="*Thank*", action_id="feedback.thank", value="42"),)),))
    [message] = render.messages(reply)
    [(label, url)] = message.links()
    assert label == "Thank"  # a button shows no Markdown
    assert url.startswith("dtmd://dingtalkclient/sendMessage?content=")
    sent = message.buttons[0][1]  # what the client sends when pressed
    event = to_event(fake.robot_message("bob", sent), commands=COMMANDS)
    assert isinstance(event, Action) and (event.action_id, event.value) == ("feedback.thank", "42")


def test_a_form_option_sends_the_answer_as_it_would_be_typed():
    question = FormQuestion(
        text="How was your week?", action_id="form:answer", ref="7:0", progress="1/3",
        options=tuple(Option(label=f"{n} – label", value=str(n)) for n in range(1, 6)),
    )  # fmt: skip
    [message] = render.messages(Reply(parts=(question,), summary="How was your week?"))
    assert [content for _, content in message.buttons] == ["1", "2", "3", "4", "5"]
    event = to_event(fake.robot_message("bob", "3"), commands=COMMANDS)
    assert isinstance(event, Message) and event.text == "3"


def test_a_card_click_is_the_press_of_its_button():
    content = {"cardPrivateData": {"actionIds": ["press"], "params": {"action_id": "action.accept", "value": "9"}}}
    data = {"corpId": "dingcorp0001", "userId": "bob", "outTrackId": "t1", "spaceType": "IM_ROBOT",
            "content": json.dumps(content), "type": "actionCallback"}  # fmt: skip
    event = card_action(data)
    assert isinstance(event, Action) and (event.action_id, event.value) == ("action.accept", "9")
    assert event.actor.user_id == "bob"
    assert card_action(data).event_id == event.event_id  # a double click is one press
    assert card_action({**data, "outTrackId": "t2"}).event_id != event.event_id
    assert card_action({**data, "content": "not json"}) is None


def test_a_name_with_a_space_is_one_mention_when_the_names_are_known():
    data = fake.robot_message("bob", "kudos @Alice Smith @张伟 @Typed great demo", at=("alice", "wei"))
    event = to_event(data, commands=COMMANDS, names={"alice": "Alice Smith", "wei": "张伟"})
    assert [(m.text, m.user_id) for m in event.mentions] == [("@Alice Smith", "alice"), ("@张伟", "wei")]
    # "@Typed" is left to the core, which reads it as a handle
