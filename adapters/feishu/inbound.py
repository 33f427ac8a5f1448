"""Feishu events (schema 2.0, as they arrive over HTTP or the long connection) translated into core
events. Pure functions, one per event type, chosen by a table.

Feishu has no slash commands: people type `/kudos @张伟 演示很棒` or `kudos …` to the bot, or
`@Rapport kudos @张伟 …` in a group. A message's mentions arrive as `@_user_1` placeholders with a
`mentions` list naming each one's open_id. The bot's own mention is dropped (compared with its
open_id); each other placeholder stays in the text as the span of a `Mention` the core resolves by
open_id, shown with the name Feishu gave.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from bot.events import Action, Actor, Channel, Command, Event, MemberJoined, Mention, Message

PLATFORM = "feishu"
MESSAGE_RECEIVED = "im.message.receive_v1"
CARD_ACTION = "card.action.trigger"
BOT_ADDED = "im.chat.member.bot.added_v1"
CHAT_ENTERED = "im.chat.access_event.bot_p2p_chat_entered_v1"
SLASHES = ("/", "／")  # a full-width slash is what a Chinese input method types
_SLASH_CHARS = "".join(SLASHES)

Payload = Mapping[str, Any]
_PLACEHOLDER = re.compile(r"@_user_\d+")
# "@张伟" typed, not picked from Feishu's list: no placeholder, no open_id. (An ASCII "@alice" is a
# handle, which the core reads itself.)
_TYPED_NAME = re.compile(r"(?<![\w@])@(?=[^\s@#]*[^\x00-\x7f])[^\s@#,，。.!！?？:：;；]+")


def _get(payload: Any, *path: str) -> Any:
    for key in path:
        # dict first: what JSON gives, and a check far cheaper than the Mapping ABC's
        if not isinstance(payload, (dict, Mapping)):
            return None
        payload = payload.get(key)
    return payload


def event_type(payload: Payload) -> str | None:
    """The event's type: `header.event_type` in schema 2.0."""
    kind = _get(payload, "header", "event_type")
    return kind if isinstance(kind, str) else None


def tenant_of(payload: Payload) -> str | None:
    return _get(payload, "header", "tenant_key") or _get(payload, "event", "tenant_key") or None


def _actor(payload: Payload, open_id: Any) -> Actor | None:
    tenant = tenant_of(payload)
    if not isinstance(open_id, str) or not open_id or not isinstance(tenant, str):
        return None
    return Actor(platform=PLATFORM, org=tenant, user_id=open_id)


def _text_of(message: Payload) -> str | None:
    """The typed text of a text message, or None for other kinds (images, files, stickers)."""
    if message.get("message_type") != "text":
        return None
    try:
        content = json.loads(message.get("content") or "")
    except (TypeError, ValueError):
        return None
    text = content.get("text") if isinstance(content, Mapping) else None
    return text if isinstance(text, str) else None


def _mentions(message: Payload, *, bot_open_id: str | None) -> tuple[set[str], tuple[Mention, ...]]:
    """The placeholders that mention the bot, and the people mentioned (each placeholder's span,
    open_id and the name Feishu gave)."""
    of_bot: set[str] = set()
    people: list[Mention] = []
    for mention in message.get("mentions") or ():
        key, open_id = _get(mention, "key"), _get(mention, "id", "open_id")
        if not isinstance(key, str) or not isinstance(open_id, str):
            continue
        if bot_open_id and open_id == bot_open_id:
            of_bot.add(key)
        else:
            name = _get(mention, "name")
            people.append(Mention(text=key, user_id=open_id, label=name if isinstance(name, str) and name else None))
    return of_bot, tuple(people)


def _message(payload: Payload, *, bot_open_id: str | None, commands: Collection[str]) -> Event | None:
    message = _get(payload, "event", "message") or {}
    sender = _get(payload, "event", "sender") or {}
    if sender.get("sender_type") not in (None, "user"):  # another bot, or an app
        return None
    actor = _actor(payload, _get(sender, "sender_id", "open_id"))
    text = _text_of(message)
    if actor is None or text is None:
        return None
    of_bot, mentions = _mentions(message, bot_open_id=bot_open_id)
    is_dm = message.get("chat_type") == "p2p"
    if not is_dm and bot_open_id and not of_bot:  # a group's talk, not addressed to Rapport
        return None
    if of_bot:  # the bot's own mention dropped; the others' placeholders stay
        text = _PLACEHOLDER.sub(lambda m: "" if m.group(0) in of_bot else m.group(0), text)
    text = text.strip()
    if not text:
        return None
    mentions += tuple(Mention(text=m, user_id=None, label=m) for m in dict.fromkeys(_TYPED_NAME.findall(text)))
    common = {
        "actor": actor,
        "channel": Channel(id=str(message.get("chat_id") or ""), is_dm=is_dm),
        "event_id": _get(payload, "header", "event_id") or message.get("message_id") or None,
    }
    first, _, rest = text.partition(" ")
    name = first.lstrip(_SLASH_CHARS).lower()
    if name and (first.startswith(SLASHES) or name in commands):
        return Command(name=name, text=rest.strip(), mentions=mentions, **common)
    return Message(text=text, mentions=mentions, **common)


def _card_action(payload: Payload, *, bot_open_id: str | None, commands: Collection[str]) -> Event | None:
    event = _get(payload, "event") or {}
    actor = _actor(payload, _get(event, "operator", "open_id"))
    value = _get(event, "action", "value")
    if actor is None or not isinstance(value, Mapping):
        return None
    action_id = value.get("action_id")
    if not isinstance(action_id, str) or not action_id:
        return None
    picked = _get(event, "action", "option")  # a select menu's chosen option
    form = _get(event, "action", "form_value")
    inputs = {str(k): "" if v is None else str(v) for k, v in (form or {}).items()} if isinstance(form, Mapping) else {}
    chat = _get(event, "context", "open_chat_id")
    return Action(
        actor=actor,
        channel=Channel(id=chat, is_dm=True) if isinstance(chat, str) and chat else None,
        event_id=_get(payload, "header", "event_id") or None,
        action_id=action_id,
        value=str(picked if isinstance(picked, str) and picked else value.get("value") or ""),
        values=inputs,
    )


def _joined(payload: Payload, *, bot_open_id: str | None, commands: Collection[str]) -> Event | None:
    actor = _actor(payload, _get(payload, "event", "operator_id", "open_id"))
    if actor is None:
        return None
    return MemberJoined(actor=actor, event_id=_get(payload, "header", "event_id") or None)


_TRANSLATORS: dict[str, Callable[..., Event | None]] = {
    MESSAGE_RECEIVED: _message,
    CARD_ACTION: _card_action,
    CHAT_ENTERED: _joined,
}


def to_event(payload: Payload, *, bot_open_id: str | None, commands: Collection[str] = ()) -> Event | None:
    """The core event for one verified Feishu event, or None when it asks nothing of Rapport.

    Args:
        payload: the event's JSON (schema 2.0).
        bot_open_id: Rapport's own open_id (from `/open-apis/bot/v3/info`), whose mention is dropped.
        commands: the command names the router knows, so `kudos @张伟 …` is the kudos command.
    """
    translate = _TRANSLATORS.get(event_type(payload) or "")
    return translate(payload, bot_open_id=bot_open_id, commands=commands) if translate else None
