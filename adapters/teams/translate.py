"""Teams activities (the Bot Framework JSON as it arrives) translated into core events. Pure functions.

Only plain JSON is read here, so nothing of botbuilder reaches the core: the route hands over the
request body it already parsed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import urlsplit

from adapters.teams.references import Reference
from adapters.teams.render import CHOICE_INPUT
from bot.events import Action, Actor, Channel, Command, Event, MemberJoined, Mention, Message

PLATFORM = "teams"
LOCAL_TENANT = "local"  # what the Emulator's activities (which name no tenant) belong to
CARD_ACTION_INVOKE = "adaptiveCard/action"

Activity = Mapping[str, Any]


def _get(activity: Activity, *path: str) -> Any:
    value: Any = activity
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def tenant_of(activity: Activity) -> str | None:
    """The Teams tenant an activity comes from, or None (the Emulator names none)."""
    return _get(activity, "channelData", "tenant", "id") or _get(activity, "conversation", "tenantId")


def problem(activity: Activity) -> str | None:
    """What an activity lacks for Rapport to act on it and answer it, or None when it lacks nothing:
    every activity the Bot Framework sends names its sender, its conversation and where to answer."""
    for path in (("from", "id"), ("conversation", "id")):
        value = _get(activity, *path)
        if not isinstance(value, str) or not value:
            return f"{'.'.join(path)} is missing"
    if not _is_url(activity.get("serviceUrl")):
        return "serviceUrl is missing"
    return None


def _is_url(value: Any) -> bool:
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:  # an unclosed IPv6 bracket and the like
        return False
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def _entities(activity: Activity, kind: str) -> list[Mapping[str, Any]]:
    entities = activity.get("entities") or []
    return [e for e in entities if isinstance(e, Mapping) and e.get("type") == kind]


def _timezone(activity: Activity) -> str | None:
    if zone := activity.get("localTimezone"):
        return zone
    return next((e.get("timezone") for e in _entities(activity, "clientInfo") if e.get("timezone")), None)


def actor_of(activity: Activity) -> Actor | None:
    """Who acted: platform "teams", org = tenant id, user id = `from.id`; None without a sender."""
    user_id = _get(activity, "from", "id")
    if not user_id:
        return None
    return Actor(
        platform=PLATFORM,
        org=tenant_of(activity) or LOCAL_TENANT,
        user_id=user_id,
        name=_get(activity, "from", "name") or None,
        locale=activity.get("locale") or None,
        timezone=_timezone(activity),
    )


def is_personal(activity: Activity) -> bool:
    return _get(activity, "conversation", "conversationType") in (None, "personal")


def reference_of(activity: Activity) -> Reference | None:
    """The sender's conversation reference, for proactive messages later.

    Only a personal chat's conversation id is kept: a channel message tells the service URL and the
    bot id, but a DM to that person needs their own 1:1 conversation.
    """
    actor, service_url = actor_of(activity), activity.get("serviceUrl")
    bot_id = _get(activity, "recipient", "id")
    if actor is None or not service_url or not bot_id:
        return None
    return Reference(
        user_id=actor.user_id,
        aad_object_id=_get(activity, "from", "aadObjectId") or None,
        tenant_id=actor.org,
        service_url=service_url,
        bot_id=bot_id,
        conversation_id=_get(activity, "conversation", "id") if is_personal(activity) else None,
    )


_AT_TAG = re.compile(r"<at>(.*?)</at>")


def _mentions(activity: Activity) -> tuple[tuple[Mention, ...], list[str]]:
    """People mentioned (Teams mention entities), and the texts that mention the bot itself."""
    bot_id = _get(activity, "recipient", "id")
    people: list[Mention] = []
    of_bot: list[str] = []
    for entity in _entities(activity, "mention"):
        text, user_id = entity.get("text"), _get(entity, "mentioned", "id")
        if not text or not user_id:
            continue
        if user_id == bot_id:
            of_bot.append(text)
        else:
            people.append(Mention(text=text, user_id=user_id, label=_label(text)))
    return tuple(people), of_bot


def _label(text: str) -> str:
    """How an `<at>Name</at>` mention reads: the name."""
    tag = _AT_TAG.fullmatch(text)
    return html.unescape(tag.group(1)) if tag else text


def _unresolved(text: str, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """`<at>` tags no mention entity names (a pasted or edited mention): mentions of no one known, so
    that the core says it cannot tell who they are rather than reading the tag as words."""
    known = {m.text for m in mentions}
    tags = dict.fromkeys(t.group(0) for t in _AT_TAG.finditer(text) if t.group(0) not in known)
    return tuple(Mention(text=tag, user_id=None, label=_label(tag)) for tag in tags)


def _action(values: Mapping[str, Any], **common: Any) -> Action | None:
    """A card submission: `action_id` and `value` come from the button's data, the rest are inputs.
    An option picked from a list (`CHOICE_INPUT`) is the value, as a button of its own would send it."""
    action_id = values.get("action_id")
    if not isinstance(action_id, str) or not action_id:
        return None
    value = values.get(CHOICE_INPUT) or values.get("value") or ""
    inputs = {
        k: "" if v is None else str(v)
        for k, v in values.items()
        if k not in ("action_id", "value", CHOICE_INPUT)
    }
    return Action(action_id=action_id, value=str(value), values=inputs, **common)


def _message(activity: Activity, *, commands: Collection[str], **common: Any) -> Event | None:
    value = activity.get("value")
    if isinstance(value, Mapping):  # Action.Submit arrives as a message carrying the card's data
        return _action(value, **common)
    mentions, of_bot = _mentions(activity)
    text = activity.get("text") or ""
    for mention in of_bot:
        text = text.replace(mention, " ")
    text = text.strip()
    if not text:
        return None
    mentions += _unresolved(text, mentions)
    first, _, rest = text.partition(" ")
    name = first.lstrip("/").lower()
    if name and (first.startswith("/") or name in commands):
        return Command(name=name, text=rest.strip(), mentions=mentions, **common)
    return Message(text=text, mentions=mentions, **common)


def _invoke(activity: Activity, *, commands: Collection[str], **common: Any) -> Event | None:
    if activity.get("name") != CARD_ACTION_INVOKE:
        return None
    action = _get(activity, "value", "action") or {}
    data = dict(action.get("data") or {})
    data.setdefault("action_id", action.get("verb"))
    return _action(data, **common)


def _conversation_update(activity: Activity, *, commands: Collection[str], **common: Any) -> Event | None:
    return MemberJoined(**common) if activity.get("membersAdded") else None


def _installation_update(activity: Activity, *, commands: Collection[str], **common: Any) -> Event | None:
    return MemberJoined(**common) if str(activity.get("action", "")).startswith("add") else None


_TRANSLATORS: dict[str, Callable[..., Event | None]] = {
    "message": _message,
    "invoke": _invoke,
    "conversationUpdate": _conversation_update,
    "installationUpdate": _installation_update,
}


def to_event(activity: Activity, *, commands: Collection[str]) -> Event | None:
    """The core event for one activity, or None when it asks nothing of Rapport.

    Args:
        activity: the activity JSON.
        commands: the command names the router knows; a message starting with one of them (with or
            without the slash) is that command, so `kudos @Ann great demo` works in a chat.
    """
    translate = _TRANSLATORS.get(activity.get("type"))
    actor = actor_of(activity)
    if translate is None or actor is None:
        return None
    common = {
        "actor": actor,
        "channel": Channel(id=_get(activity, "conversation", "id") or "", is_dm=is_personal(activity)),
        "event_id": activity.get("id") or None,
    }
    return translate(activity, commands=commands, **common)
