"""What DingTalk pushes over the stream, translated into core events. Pure functions.

A robot message (topic `/v1.0/im/bot/messages/get`) is typed text: `/kudos @张伟 演示很棒`, `kudos …`
or an answer. In a group it arrives without the text that @-mentioned the robot; the people it
mentions come in `atUsers` with their staff ids, in the order they were picked, while the text keeps
only their names; each @name stays in the text as written, with its staff id in `mentions`. A button of a message without a card template makes the DingTalk client send a
message in the person's name (`dtmd://dingtalkclient/sendMessage?content=…`): `render.button_text`
writes what it sends and `to_event` reads it back as the press. A click on an interactive card
(topic `/v1.0/card/instances/callback`) carries the button's parameters.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from typing import Any

from bot.events import Action, Actor, Channel, Command, Event, Mention, Message

PLATFORM = "dingtalk"
ROBOT_TOPIC = "/v1.0/im/bot/messages/get"
CARD_TOPIC = "/v1.0/card/instances/callback"
SINGLE_CHAT = "1"

# "<label> [<action id> <value>]", what a button without a card template makes the client send
PRESS = re.compile(r"^(?P<label>.*?)\s*\[(?P<action>[a-z][\w.:-]*)(?: (?P<value>[^\]\s]*))?\]$", re.DOTALL)
# A typed @name: DingTalk inserts "@<name>" followed by a space for each person picked
AT_NAME = re.compile(r"(?<![\w@])@(?P<name>[^\s@]+)")
# What the core reads as a handle (`@alice`): left to it when DingTalk resolved nobody for it
HANDLE = re.compile(r"@[A-Za-z0-9][A-Za-z0-9._%+-]*")


def actor_of(data: Mapping[str, Any]) -> Actor | None:
    """Who wrote: org = the corporation (`chatbotCorpId`), user id = the staff id; None without one."""
    staff_id = data.get("senderStaffId")
    corp = data.get("chatbotCorpId") or data.get("senderCorpId")
    if not isinstance(staff_id, str) or not staff_id or not isinstance(corp, str) or not corp:
        return None
    return Actor(platform=PLATFORM, org=corp, user_id=staff_id, name=data.get("senderNick") or None)


def text_of(data: Mapping[str, Any]) -> str:
    """The typed text of a text or rich-text message ("" for a picture, a file, a voice note)."""
    if data.get("msgtype") == "text":
        text = (data.get("text") or {}).get("content")
        return text if isinstance(text, str) else ""
    if data.get("msgtype") == "richText":
        items = (data.get("content") or {}).get("richText") or []
        return "".join(item.get("text", "") for item in items if isinstance(item, Mapping))
    return ""


def mentioned(data: Mapping[str, Any]) -> list[str]:
    """The staff ids of the people the message @-mentions, the robot left out, in order."""
    robot = data.get("chatbotUserId")
    found = []
    for user in data.get("atUsers") or []:
        staff_id = user.get("staffId") if isinstance(user, Mapping) else None
        if staff_id and user.get("dingtalkId") != robot:
            found.append(staff_id)
    return found


def mentions_of(
    text: str, staff_ids: list[str], *, names: Mapping[str, str] | None = None
) -> tuple[Mention, ...]:
    """Each @name in the text, with the staff id DingTalk resolved for it.

    DingTalk says who was picked, in order, but not which @name in the text each one is. With their
    names (`names`, staff id → the name DingTalk shows), each is found as "@<name>" in order, so that
    a name with a space ("@Alice Smith") is one mention. Otherwise the @words pair with the people in
    order when there are as many of both; else (a name typed without picking it) the names go
    without ids, and the core resolves each against the directory, or asks.
    """
    found = _named(text, staff_ids, names or {})
    if found is None:
        words = list(AT_NAME.finditer(text))
        paired = staff_ids if len(words) == len(staff_ids) else [None] * len(words)
        found = tuple(
            Mention(text=match.group(0), user_id=staff_id, label=match.group(0))
            for match, staff_id in zip(words, paired, strict=True)
        )
    return tuple(m for m in found if m.user_id or not HANDLE.fullmatch(m.text))


def _named(text: str, staff_ids: list[str], names: Mapping[str, str]) -> tuple[Mention, ...] | None:
    """The mentions found by the picked people's names, in order, and any other @word (a name typed
    without picking it) without an id; None unless every picked name is found."""
    if not staff_ids or any(not names.get(staff_id) for staff_id in staff_ids):
        return None
    spans: list[tuple[int, int, Mention]] = []
    position = 0
    for staff_id in staff_ids:
        span = "@" + names[staff_id]
        at = text.find(span, position)
        if at < 0:
            return None
        spans.append((at, at + len(span), Mention(text=span, user_id=staff_id, label=span)))
        position = at + len(span)
    for match in AT_NAME.finditer(text):
        if not any(start <= match.start() < end for start, end, _ in spans):
            spans.append((match.start(), match.end(), Mention(text=match.group(0), user_id=None, label=match.group(0))))
    return tuple(mention for _, _, mention in sorted(spans, key=lambda span: span[0]))


def channel_of(data: Mapping[str, Any]) -> Channel:
    return Channel(id=data.get("conversationId") or "", is_dm=data.get("conversationType") == SINGLE_CHAT)


def to_event(
    data: Mapping[str, Any], *, commands: Collection[str], names: Mapping[str, str] | None = None
) -> Event | None:
    """The core event for one robot message, or None when it asks nothing of Rapport (no sender, no
    text). The message id is the event id, so a message delivered twice has its effect once.
    `names` are the names DingTalk shows for the people mentioned, when known (`mentions_of`)."""
    actor = actor_of(data)
    text = text_of(data).strip()
    if actor is None or not text:
        return None
    common = {"actor": actor, "channel": channel_of(data), "event_id": data.get("msgId") or None}
    press = PRESS.match(text)
    if press is not None:
        return Action(action_id=press.group("action"), value=press.group("value") or "", **common)
    mentions = mentions_of(text, mentioned(data), names=names)
    first, _, rest = text.partition(" ")
    name = first.lstrip("/").lower()
    if name and (first.startswith("/") or name in commands):
        return Command(name=name, text=rest.strip(), mentions=mentions, **common)
    return Message(text=text, mentions=mentions, **common)


def card_action(data: Mapping[str, Any]) -> Action | None:
    """The press on an interactive card: its `action_id` and `value` are the button's parameters
    (`cardPrivateData.params`), the other parameters its inputs; None when it names no action.

    A click has no id of its own: the event id is the card's (`outTrackId`) with the button's, so
    that a double click, or DingTalk pushing a click again, acts once."""
    staff_id, corp = data.get("userId"), data.get("corpId")
    try:
        content = json.loads(data.get("content") or "{}")
    except (TypeError, ValueError):
        return None
    params = (content.get("cardPrivateData") or {}).get("params") if isinstance(content, Mapping) else None
    if not staff_id or not corp or not isinstance(params, Mapping):
        return None
    action_id = params.get("action_id")
    if not isinstance(action_id, str) or not action_id:
        return None
    values = {k: str(v) for k, v in params.items() if k not in ("action_id", "value") and v is not None}
    press = json.dumps([data.get("outTrackId"), staff_id, action_id, params.get("value")], ensure_ascii=False)
    return Action(
        actor=Actor(platform=PLATFORM, org=corp, user_id=staff_id),
        channel=Channel(id=data.get("spaceId") or "", is_dm=data.get("spaceType") != "IM_GROUP"),
        event_id="card:" + hashlib.sha256(press.encode()).hexdigest()[:40],
        action_id=action_id,
        value=str(params.get("value") or ""),
        values=values,
    )
