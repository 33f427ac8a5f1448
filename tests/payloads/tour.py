"""A tour of everything Rapport says, in one language, with the longest realistic content: every
command and sub-command, every button, every scheduled job, each reply and each message it queues.

The tour runs on the console adapter (the core is the same for every platform) and records what the
core produced, as neutral Replies, before any platform renders them: the reply to whoever acted, and
every outbox message (DMs, channel posts, a person's home). The payload tests render the records for
Slack and Teams and check them by the platforms' own rules. Its script is tests/payloads/steps.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from adapters.app import App
from adapters.console.chat import PLATFORM
from bot.events import Action, Actor, Channel, Command, HomeOpened
from bot.replies import Buttons, FormQuestion, Reply
from store.models import OutboxMessage, Person
from tests.support import Chat

# The longest content people write, near each limit (kudos 1,000 characters, feedback 2,000, form
# answers 1,000 or 2,000, action titles 300), in words rather than filler.
SENTENCE = {
    "en": "Thank you for staying late to walk the support team through the new refund flow, step by step. ",
    "zh-Hans": "感谢你加班一步一步地给客服团队讲解新的退款流程，第二天他们就关闭了很多工单。",
}
LONG_NAME = "María Fernanda de la Concepción Rodríguez-Hernández"


def words(locale: str, size: int) -> str:
    """Sentences of `locale` up to `size` characters."""
    sentence = SENTENCE[locale]
    text = sentence * (size // len(sentence) + 1)
    return text[:size].rsplit(" ", 1)[0].strip() if locale == "en" else text[:size]


@dataclass(frozen=True, kw_only=True)
class Said:
    """One thing Rapport said: to whom or where (`kind`: reply, dm, channel or home) and what."""

    label: str
    kind: str
    reply: Reply


@dataclass
class Tour:
    """Drives the chat and records what the core said (see the module's docstring)."""

    app: App
    chat: Chat
    org_id: int
    locale: str
    said: list[Said] = field(default_factory=list)
    commands: set[tuple[str, str]] = field(default_factory=set)  # (command, first word)
    pressed: set[str] = field(default_factory=set)
    _seen_outbox: int = 0

    def __post_init__(self) -> None:
        handle = self.app.core.handle

        async def recording(event, **options):
            reply = await handle(event, **options)
            if isinstance(event, Command):
                self.commands.add((event.name, event.text.strip().partition(" ")[0].lower()))
            if isinstance(event, Action):
                self.pressed.add(event.action_id)
            if reply is not None:
                kind = "home" if isinstance(event, HomeOpened) else "reply"
                self.said.append(Said(label=f"{kind}: {_label(event)}", kind=kind, reply=reply))
            return reply

        self.app.core.handle = recording

    async def send(self, handle: str, text: str, *, channel: str | None = None) -> str | None:
        shown = await (
            self.chat.send(handle, text, channel=channel) if channel else self.chat.send(handle, text)
        )
        await self._queued()
        return shown

    async def tick(self, at: datetime) -> None:
        await self.chat.tick(at)
        await self._queued()

    async def press(self, handle: str, action_id: str, *, option: int | None = None) -> None:
        """Press the latest button with this action id shown to anyone (or a question's option)."""
        value = self._latest_value(action_id, option)
        await self.chat.press(handle, action_id=action_id, value=value)
        await self._queued()

    async def open_home(self, handle: str) -> None:
        email = self.chat.email(handle)
        actor = Actor(platform=PLATFORM, org=self.chat.org, user_id=email, email=email)
        await self.app.core.handle(HomeOpened(actor=actor, channel=Channel(id="home")))

    def _latest_value(self, action_id: str, option: int | None) -> str:
        for said in reversed(self.said):
            for part in said.reply.parts:
                if isinstance(part, Buttons):
                    found = [b for b in part.buttons if b.action_id == action_id]
                    if found:
                        return found[0].value
                if isinstance(part, FormQuestion) and part.action_id == action_id and part.options:
                    return part.answer_value(part.options[option or 0])
        raise AssertionError(f"no button {action_id!r} was shown")

    async def _queued(self) -> None:
        """Record the outbox messages queued since the last step."""
        async with self.app.db.read() as session:
            rows = await session.execute(
                select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload, Person.display_name)
                .outerjoin(Person, Person.id == OutboxMessage.recipient_id)
                .where(OutboxMessage.id > self._seen_outbox)
                .order_by(OutboxMessage.id)
            )
            for row_id, kind, payload, name in rows:
                self._seen_outbox = row_id
                reply = Reply.from_dict(payload)
                self.said.append(
                    Said(label=f"{kind} to {name or 'channel'}: {reply.summary[:60]}", kind=kind, reply=reply)
                )


def _label(event) -> str:
    if isinstance(event, Command):
        return f"/{event.name} {event.text[:60]}"
    if isinstance(event, Action):
        return f"pressed {event.action_id}"
    return type(event).__name__


def at(day: int, hour: int, month: int = 11, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)
