"""The pure parts of the Feishu adapter: opening a callback, reading a message, rendering a card."""

from __future__ import annotations

import json
import os

import pytest
from lark_oapi.core.utils.decryptor import AESCipher

from adapters.feishu.inbound import to_event
from adapters.feishu.render import MAX_CARD_BYTES, cards, markdown
from adapters.feishu.verify import Refused, decrypt, encrypt, open_callback, signature
from bot.events import Action, Command, Message
from bot.replies import Button, Buttons, Choices, Option, Reply, Section, Text
from tests.feishu.conftest import TOKEN, card_action, message_event
from tests.feishu.fake_feishu import BOT_OPEN_ID

KEY = "kudos-key"


def test_what_rapport_encrypts_lark_oapi_decrypts_and_back():
    sealed = encrypt('{"a": "张伟"}', encrypt_key=KEY, iv=os.urandom(16))
    assert AESCipher(KEY).decrypt_str(sealed) == '{"a": "张伟"}'
    assert decrypt(sealed, encrypt_key=KEY) == '{"a": "张伟"}'
    with pytest.raises(Refused) as refused:
        decrypt(sealed, encrypt_key="another-key")
    assert refused.value.status == 401


def test_a_signed_encrypted_callback_opens_and_a_replayed_body_with_new_headers_does_not():
    body = json.dumps({"encrypt": encrypt(json.dumps(message_event("alice", "hi")), encrypt_key=KEY, iv=os.urandom(16))}).encode()
    headers = {"X-Lark-Request-Timestamp": "1", "X-Lark-Request-Nonce": "n"}
    headers["X-Lark-Signature"] = signature(timestamp="1", nonce="n", encrypt_key=KEY, body=body)
    assert open_callback(body, headers, verification_token=TOKEN, encrypt_key=KEY)["header"]["token"] == TOKEN
    with pytest.raises(Refused):
        open_callback(body, headers | {"X-Lark-Request-Nonce": "other"}, verification_token=TOKEN, encrypt_key=KEY)


def _event(who: str, text: str, **options):
    return to_event(message_event(who, text, **options), bot_open_id=BOT_OPEN_ID, commands={"kudos", "help"})


def test_a_group_mention_of_the_bot_is_dropped_and_people_become_mentions():
    event = _event("alice", "kudos @bob @wei 演示很棒", chat_id="oc_team", mention_bot=True)
    assert isinstance(event, Command) and event.name == "kudos"
    assert event.text == "@_user_2 @_user_3 演示很棒"
    assert [(m.text, m.user_id, m.label) for m in event.mentions] == [
        ("@_user_2", "ou_bob", "Bob Brown"),
        ("@_user_3", "ou_wei", "张伟"),
    ]
    assert event.channel.id == "oc_team" and not event.channel.is_dm


@pytest.mark.parametrize("typed", ["/kudos @bob thanks", "／kudos @bob thanks", "Kudos @bob thanks"])
def test_a_command_with_or_without_its_slash(typed):
    event = _event("alice", typed)
    assert isinstance(event, Command) and event.name == "kudos" and event.channel.is_dm


def test_a_name_typed_after_an_at_sign_is_a_mention_rapport_cannot_resolve_alone():
    event = _event("alice", "kudos @张伟 演示很棒，@李娜。thanks @bob")
    assert [(m.text, m.user_id) for m in event.mentions] == [("@_user_1", "ou_bob"), ("@张伟", None), ("@李娜", None)]


def test_group_talk_not_addressed_to_rapport_is_ignored():
    assert _event("alice", "kudos @bob thanks", chat_id="oc_team") is None
    assert isinstance(_event("alice", "kudos @bob thanks", chat_id="oc_team", mention_bot=True), Command)


def test_free_text_is_a_message_and_an_empty_mention_is_nothing():
    assert isinstance(_event("alice", "shipped the importer"), Message)
    assert to_event(message_event("alice", "", mention_bot=True), bot_open_id=BOT_OPEN_ID) is None


def test_a_card_press_and_a_menu_pick_are_actions():
    pressed = to_event(card_action("bob", {"action_id": "kudos.thanks", "value": "7"}, chat_id="oc", message_id="om"), bot_open_id=None)
    assert isinstance(pressed, Action) and (pressed.action_id, pressed.value) == ("kudos.thanks", "7")
    picked = to_event(
        card_action("bob", {"action_id": "scale", "value": ""}, chat_id="oc", message_id="om", option="ref/4"), bot_open_id=None
    )
    assert picked.value == "ref/4"
    assert to_event(card_action("bob", {"no": "action"}, chat_id="oc", message_id="om"), bot_open_id=None) is None


def test_rapports_markup_in_feishu_markdown():
    assert markdown("*Bob* did _great_ on snake_case") == "**Bob** did *great* on snake_case"


def test_buttons_and_a_long_list_render_as_schema_2_cards():
    reply = Reply(parts=(
        Section(text="Kudos", fields=()),
        Buttons(buttons=(Button(label="Thanks", action_id="a", value="1", style="primary"),)),
        Choices(action_id="pick", options=tuple(Option(label=str(n), value=str(n)) for n in range(8)), submit="Pick"),
    ))
    (card,) = cards(reply)
    assert card["schema"] == "2.0"
    row, menu = card["body"]["elements"][1:]
    button = row["columns"][0]["elements"][0]
    assert button["type"] == "primary" and button["behaviors"][0]["value"] == {"action_id": "a", "value": "1"}
    assert menu["tag"] == "select_static" and len(menu["options"]) == 8


def test_a_long_digest_is_several_cards_within_feishus_limits_and_nothing_is_lost():
    lines = [f"{n}. 张伟 shipped item {n} " + "细节" * 60 for n in range(600)]
    reply = Reply(parts=tuple(Text(text=line) for line in lines))
    sent = cards(reply)
    assert len(sent) > 1
    assert all(len(json.dumps(c, ensure_ascii=False).encode()) <= MAX_CARD_BYTES for c in sent)
    assert all(len(c["body"]["elements"]) <= 200 for c in sent)
    texts = [e["content"] for c in sent for e in c["body"]["elements"]]
    assert texts == lines


def test_the_fake_refuses_cards_feishu_would_refuse():
    from tests.feishu.fake_feishu import card_problem

    assert card_problem(json.dumps({"schema": "2.0", "body": {"elements": [{"tag": "div"}]}}))
    assert card_problem(json.dumps({"schema": "2.0", "body": {"elements": [{"tag": "button", "text": {}}]}}))
    assert card_problem(json.dumps({"elements": []}))
    assert card_problem(json.dumps(cards(Reply.text("ok"))[0])) is None


def test_opening_a_chat_with_the_bot_is_a_member_joined():
    from bot.events import MemberJoined

    payload = {
        "schema": "2.0",
        "header": {"event_id": "e1", "event_type": "im.chat.access_event.bot_p2p_chat_entered_v1", "tenant_key": "t"},
        "event": {"chat_id": "oc_1", "operator_id": {"open_id": "ou_alice"}},
    }
    event = to_event(payload, bot_open_id=BOT_OPEN_ID)
    assert isinstance(event, MemberJoined) and event.actor.user_id == "ou_alice" and event.actor.org == "t"
