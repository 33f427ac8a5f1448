"""Slack payloads in, core events out: pure functions, one per kind of payload, chosen by a table.

Slash commands, Events API callbacks and interactivity payloads each have their own shape; each
translator returns one `bot.events.Event`, or None when Rapport should stay silent (a bot's
message, an edit, a tab other than Home).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from adapters.slack.markup import neutral
from adapters.slack.render import action_id_of
from bot.events import Action, Actor, Channel, Command, Event, HomeOpened, Message

PLATFORM = "slack"
Payload = Mapping[str, Any]

_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>\s*")


def to_event(
    body: Payload, *, bot_user_id: str | None = None, commands: Collection[str] = ()
) -> Event | None:
    """Translate one verified Slack request body into a core event (None: nothing to do).

    Args:
        body: the request body as slack-bolt parsed it (form fields, `payload=` JSON or event JSON).
        bot_user_id: Rapport's own bot user, whose mention starts an `app_mention`.
        commands: the core's command names, so `@Rapport kudos @ann thanks` becomes the `kudos` command.
    """
    if is_slash_command(body):
        return command_event(body)
    kind = body.get("type")
    if kind == "event_callback":
        return callback_event(body, bot_user_id=bot_user_id, commands=commands)
    translate = _INTERACTIVITY.get(kind)
    return translate(body) if translate else None


def is_slash_command(body: Payload) -> bool:
    """Whether the body is a slash command's, which the ack answers."""
    return "command" in body


def command_event(body: Payload) -> Command:
    """A slash command: `/kudos @ann thanks` is Command(name="kudos"). Slack gives these no id (and
    never retries them); the listener names one after the request's signature (`adapters.slack.replay`)."""
    text, mentions = neutral((body.get("text") or "").strip())
    return Command(
        actor=_actor(team_id=body["team_id"], user_id=body["user_id"]),
        channel=_channel(body.get("channel_id"), name=body.get("channel_name")),
        name=body["command"].lstrip("/").lower(),
        text=text,
        mentions=mentions,
    )


def callback_event(
    body: Payload, *, bot_user_id: str | None = None, commands: Collection[str] = ()
) -> Event | None:
    """An Events API callback; `event_id` stays the same across Slack's retries."""
    event = body.get("event") or {}
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return None  # other bots, Rapport itself, edits, joins: never answered
    if bot_user_id and event["user"] == bot_user_id:
        return None
    actor = _actor(team_id=team_of(body), user_id=event["user"])
    common = {"actor": actor, "event_id": body.get("event_id")}
    kind = event.get("type")
    if kind == "message" and event.get("channel_type") == "im":
        text, mentions = neutral((event.get("text") or "").strip())
        return Message(channel=_channel(event.get("channel")), text=text, mentions=mentions, **common)
    if kind == "app_mention":
        return _mention(event, commands=commands, **common)
    if kind == "app_home_opened" and event.get("tab", "home") == "home":
        return HomeOpened(**common)
    return None


def _mention(event: Payload, *, commands: Collection[str], **common: Any) -> Event:
    text = _LEADING_MENTION.sub("", event.get("text") or "", count=1).strip()
    channel = _channel(event.get("channel"))
    word, _, rest = text.partition(" ")
    name = word.lstrip("/").lower()
    if name in commands:
        rest, mentions = neutral(rest.strip())
        return Command(channel=channel, name=name, text=rest, mentions=mentions, **common)
    text, mentions = neutral(text)
    return Message(channel=channel, text=text, mentions=mentions, **common)


def block_action_event(body: Payload) -> Action | None:
    """A button press or a menu choice. Its event id names the person, the message and the choice,
    so a double click (two payloads, two action_ts) acts once."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = actions[0]
    value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
    container = body.get("container") or {}
    where = container.get("message_ts") or container.get("view_id") or action.get("action_ts")
    user = body["user"]["id"]
    channel_id = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return Action(
        actor=_actor(team_id=_interactive_team(body), user_id=user, locale=body["user"].get("locale")),
        channel=_channel(channel_id) if channel_id else None,
        event_id=f"action:{user}:{where}:{action.get('action_id')}:{value}",
        action_id=action_id_of(action.get("action_id", "")),
        value=value,
    )


def view_submission_event(body: Payload) -> Action:
    """A submitted modal: its callback id is the action, its inputs the values.

    The event id names the view and what was submitted: a double submit acts once, while a submission
    corrected after an error (same view, new values) is a new event.
    """
    view = body["view"]
    values = {
        action_id: _input_value(field)
        for block in (view.get("state") or {}).get("values", {}).values()
        for action_id, field in block.items()
    }
    return Action(
        actor=_actor(team_id=_interactive_team(body), user_id=body["user"]["id"]),
        event_id=f"view:{view['id']}:{view.get('hash', '')}:{_digest(values)}",
        action_id=view.get("callback_id", ""),
        value=view.get("private_metadata") or "",
        values=values,
    )


def input_blocks(body: Payload) -> dict[str, str]:
    """A submitted view's inputs: the core's field name (the input's action id) → its block id."""
    state = ((body.get("view") or {}).get("state") or {}).get("values", {})
    return {action_id: block_id for block_id, block in state.items() for action_id in block}


def _digest(values: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def _input_value(field: Payload) -> str:
    if "selected_option" in field:
        return (field["selected_option"] or {}).get("value", "")
    return field.get("value") or ""


_INTERACTIVITY: dict[str, Callable[[Payload], Event | None]] = {
    "block_actions": block_action_event,
    "view_submission": view_submission_event,
}


def _actor(*, team_id: str, user_id: str, locale: str | None = None) -> Actor:
    return Actor(platform=PLATFORM, org=team_id, user_id=user_id, locale=locale)


def _channel(channel_id: str | None, *, name: str | None = None) -> Channel | None:
    if not channel_id:
        return None
    return Channel(id=channel_id, is_dm=channel_id.startswith("D") or name == "directmessage")


def team_of(body: Payload) -> str:
    """The workspace an Events API callback comes from."""
    return body.get("team_id") or (body.get("event") or {}).get("team")


def _interactive_team(body: Payload) -> str:
    return (body.get("team") or {}).get("id") or body["user"].get("team_id")
