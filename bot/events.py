"""What an adapter hands the core: one Event per platform request. Nothing platform-shaped crosses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, kw_only=True)
class Actor:
    """The person who acted, as the platform knows them.

    Attributes:
        platform: the platform's name, as in the platform table ("console", ...).
        org: the platform's organisation key (its workspace, tenant or team; the console's org slug).
        user_id: the platform user id.
        name, email, locale, timezone: profile fields, when the platform gives them.
    """

    platform: str
    org: str
    user_id: str
    name: str | None = None
    email: str | None = None
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True, kw_only=True)
class Mention:
    """A person mentioned, resolved by the platform's adapter: the exact span of the event's text that
    names them (as the platform wrote it), their platform user id (None when the platform could not
    say who), and how the mention reads (`label`, else the span itself)."""

    text: str
    user_id: str | None
    label: str | None = None


@dataclass(frozen=True, kw_only=True)
class Channel:
    """Where the event came from. `is_dm` is true for a one-to-one chat with Rapport."""

    id: str
    is_dm: bool = True


@dataclass(frozen=True, kw_only=True)
class Event:
    actor: Actor
    channel: Channel | None = None
    event_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Command(Event):
    """A slash command, or a command typed in a chat: `/kudos @ann thanks` is name="kudos"."""

    name: str
    text: str = ""
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Message(Event):
    """Free text in a DM; it may answer an open conversational form."""

    text: str
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Action(Event):
    """A button press or a submitted form or card."""

    action_id: str
    value: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class HomeOpened(Event):
    """The person opened Rapport's home (a platform's home tab for the app)."""


@dataclass(frozen=True, kw_only=True)
class MemberJoined(Event):
    """The person installed Rapport or joined a conversation with it."""


def storable(event: Event) -> Event:
    """The event with what no database stores taken out of what the person typed: NUL characters
    (PostgreSQL refuses them in text) and lone UTF-16 surrogates (they cannot be encoded), which no
    one types on purpose but a client or a fuzzer can send."""
    if isinstance(event, Command | Message):
        text = _storable(event.text)
        return event if text == event.text else replace(event, text=text)  # most text is clean
    if isinstance(event, Action):
        values = {key: _storable(v) if isinstance(v, str) else v for key, v in event.values.items()}
        return replace(event, value=_storable(event.value), values=values)
    return event


def _storable(text: str) -> str:
    if text.isascii() and "\x00" not in text:
        return text
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
