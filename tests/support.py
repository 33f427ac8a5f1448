"""Test helpers: a seeded organisation and the transcript-style Chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from adapters.app import App
from adapters.console.chat import DM_CHANNEL, PLATFORM, ConsoleChat, Delivery
from adapters.console.render import render
from bot.events import Action, Actor, Channel
from bot.features import build_scheduler
from bot.scheduler import Report
from store import orgs, people
from store.models import Organisation

# handle, name, manager handle, department, time zone, locale
PEOPLE = [
    ("carol", "Carol Jones", None, "Engineering", "Europe/London", "en"),
    ("alice", "Alice Smith", "carol", "Engineering", "Europe/Berlin", "en"),
    ("bob", "Bob Brown", "carol", "Engineering", "America/New_York", "en"),
    ("wei", "张伟", "carol", "Engineering", "Asia/Shanghai", "zh-Hans"),
    ("dan", "Dan Lee", None, "Sales", "Australia/Sydney", "en"),
    ("erin", "Erin Park", "dan", "Sales", "America/New_York", "en"),
]


async def seed_org(app: App, *, slug: str, values: list[str], domain: str = "example.com") -> Organisation:
    """An organisation with PEOPLE in it, written through the store."""
    now = app.clock.now()
    async with app.db.transaction() as session:
        org = await orgs.create(session, slug=slug, name=slug.title(), now=now)
        org.company_values = values
        by_handle = {}
        for handle, name, manager, department, tz, locale in PEOPLE:
            person = await people.create(
                session,
                org_id=org.id,
                display_name=name,
                email=f"{handle}@{domain}",
                handle=handle,
                timezone=tz,
                locale=locale,
                now=now,
            )
            person.department = department
            person.manager_id = by_handle[manager].id if manager else None
            by_handle[handle] = person
    return org


@dataclass
class Chat:
    """Speak as people by handle and check what they see: `await chat.send("alice", "/kudos ...")`."""

    app: App
    org: str
    domain: str = "example.com"
    replies: list[str | None] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.console = ConsoleChat(app=self.app, org=self.org)

    async def open(self) -> None:
        assert await self.console.open()

    def email(self, handle: str) -> str:
        return handle if "@" in handle else f"{handle}@{self.domain}"

    async def send(self, handle: str, text: str, *, channel: str = DM_CHANNEL) -> str | None:
        reply = await self.console.send(email=self.email(handle), text=text, channel=channel)
        self.replies.append(reply)
        viewer = self.app.catalogue.messages("en")
        self.deliveries.extend(await self.console.deliver(viewer=viewer))
        return reply

    async def press(self, handle: str, *, action_id: str, value: str) -> str | None:
        """Press a button, as Slack or Teams would report it: an Action with the button's value."""
        email = self.email(handle)
        actor = Actor(platform=PLATFORM, org=self.org, user_id=email, email=email)
        event = Action(actor=actor, channel=Channel(id=DM_CHANNEL), action_id=action_id, value=value)
        reply = await self.app.core.handle(event)
        text = render(reply) if reply else None
        self.replies.append(text)
        self.deliveries.extend(await self.console.deliver(viewer=self.app.catalogue.messages("en")))
        return text

    async def tick(self, at: datetime) -> Report:
        """Move the clock to `at`, run the due work and deliver: what `:tick` does in the console."""
        self.app.clock.set(at)
        report = await build_scheduler(db=self.app.db, catalogue=self.app.catalogue).run_due(at)
        self.deliveries.extend(await self.console.deliver(viewer=self.app.catalogue.messages("en")))
        return report

    def expect_reply(self, *fragments: str) -> str:
        reply = self.replies[-1]
        assert reply is not None, "expected a reply, got none"
        for fragment in fragments:
            assert fragment in reply, f"{fragment!r} not in reply:\n{reply}"
        return reply

    def dms(self, handle: str) -> list[str]:
        return [d.text for d in self.deliveries if d.recipient == self.email(handle)]

    def expect_dm(self, handle: str, *fragments: str) -> str:
        """The newest DM to `handle` contains every fragment."""
        dms = self.dms(handle)
        assert dms, f"no DM to {handle}; deliveries: {self.deliveries}"
        for fragment in fragments:
            assert fragment in dms[-1], f"{fragment!r} not in DM to {handle}:\n{dms[-1]}"
        return dms[-1]

    def expect_no_dm(self, handle: str) -> None:
        assert not self.dms(handle), f"unexpected DM to {handle}: {self.dms(handle)}"

    def posts(self, channel: str) -> list[str]:
        return [d.text for d in self.deliveries if d.recipient == channel]
