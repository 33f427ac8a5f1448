"""The console through the platform contract: events built as `rapport shell` builds them."""

from __future__ import annotations

import uuid
from dataclasses import replace

from adapters.console.chat import ConsoleChat
from adapters.console.entry import ENTRY
from adapters.console.render import render
from adapters.delivery import DeliveryWorker
from bot.events import Action, Actor, Channel, Event
from bot.platform import Profile, SendError
from bot.replies import Buttons, Choices, FormQuestion, Reply
from store import people
from store.outbox import Claimed
from tests.conformance.driver import newest_with


def _buttons(reply: Reply) -> list[tuple[str, tuple[str, str]]]:
    found = []
    for part in reply.parts:
        if isinstance(part, Buttons):
            found += [(b.label, (b.action_id, b.value)) for b in part.buttons]
        elif isinstance(part, Choices):
            found += [(o.label, (part.action_id, o.value)) for o in part.options]
        elif isinstance(part, FormQuestion):
            found += [(o.label, (part.action_id, part.answer_value(o))) for o in part.options]
    return found


class ConsoleDriver:
    name = "console"
    has_profiles = False

    def __init__(self, app, org) -> None:
        self.app, self.org = app, org
        self.workspace = org.slug
        self.received: dict[str, list[Reply]] = {}
        self.last: Event | None = None
        self.limited: list[float] = []

    async def start(self) -> None:
        assert await ConsoleChat(app=self.app, org=self.org.slug).open()
        self.console = ENTRY.build(self.app, {})
        options = {"interval": 0.01, "jitter": lambda: 0.0}
        self.worker = DeliveryWorker(
            db=self.app.db, clock=self.app.clock, platform="console", sender=self, **options
        )

    async def stop(self) -> None:
        pass

    def user_id(self, who: str) -> str:
        return f"{who}@example.com"

    async def say(self, who: str, text: str) -> None:
        event = self.console.to_event({"org": self.workspace, "email": self.user_id(who), "text": text})
        await self._handle(who, replace(event, event_id=uuid.uuid4().hex))

    async def again(self) -> None:
        who = self.last.actor.user_id.split("@")[0]
        await self._handle(who, self.last)

    async def press(self, who: str, label: str) -> None:
        action_id, value = newest_with(self.received.get(who, []), _buttons, label)
        actor = Actor(
            platform="console", org=self.workspace, user_id=self.user_id(who), email=self.user_id(who)
        )
        event = Action(
            actor=actor, channel=Channel(id="dm"), action_id=action_id, value=value, event_id=uuid.uuid4().hex
        )
        await self._handle(who, event)

    async def _handle(self, who: str, event: Event) -> None:
        self.last = event
        reply = await self.app.core.handle(event)
        if reply is not None:
            self.received.setdefault(who, []).append(reply)

    async def send(self, message: Claimed) -> None:
        """The console's sender, seen by the worker; a storm is the sender refusing, as a platform would."""
        if self.limited:
            raise SendError("rate limited", retry_after=self.limited.pop(0))
        await self.console.send(message)
        async with self.app.db.read() as session:
            person = await people.by_id(session, org_id=message.org_id, person_id=message.recipient_id)
        if person is not None:
            who = (person.email or "").split("@")[0]
            self.received.setdefault(who, []).append(Reply.from_dict(message.payload))

    async def deliver(self) -> None:
        for _ in range(50):
            if not await self.worker.run_once():
                return

    def seen(self, who: str) -> list[str]:
        return [render(reply) for reply in self.received.get(who, [])]

    def rate_limit(self, *, times: int, retry_after: float) -> None:
        self.limited += [retry_after] * times

    def give_profile(self, who: str, profile: Profile) -> None:
        pass  # the console has no profiles to give

    async def fetch_profile(self, who: str) -> Profile | None:
        return await self.console.fetch_profile(workspace=self.workspace, user_id=self.user_id(who))
