"""A chat with Rapport as the console adapter sees it: lines in, replies and deliveries out."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.app import App
from adapters.console.render import render
from bot.events import Actor, Channel, Command, Event, Message
from bot.i18n import Messages
from bot.replies import File, Reply
from store import orgs, outbox, outbox_marks, people
from store.models import Person
from store.outbox import Claimed

PLATFORM = "console"
DM_CHANNEL = "dm"


@dataclass(frozen=True, kw_only=True)
class Delivery:
    """A message the console delivered to someone: who got it, and its text."""

    recipient: str  # an email for a DM, a #channel for a post
    label: str
    text: str
    files: tuple[File, ...] = ()


def to_event(*, org: str, email: str, text: str, channel: str = DM_CHANNEL) -> Event:
    """Translate a typed line: `/name rest` is a command, anything else a message."""
    actor = Actor(platform=PLATFORM, org=org, user_id=email.lower(), email=email.lower())
    where = Channel(id=channel, is_dm=channel == DM_CHANNEL)
    stripped = text.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        name, _, rest = stripped[1:].partition(" ")
        return Command(actor=actor, channel=where, name=name.lower(), text=rest.strip())
    return Message(actor=actor, channel=where, text=stripped)


class ConsoleChat:
    """The console's side of the seam, over one organisation."""

    def __init__(self, *, app: App, org: str) -> None:
        self.app = app
        self.org = org

    async def open(self) -> bool:
        """Link the organisation to the console; False when no such organisation exists."""
        async with self.app.db.transaction() as session:
            org = await orgs.by_slug(session, self.org)
            if org is None:
                return False
            if await orgs.for_workspace(session, platform=PLATFORM, external_id=self.org) is None:
                await orgs.link_workspace(
                    session, org_id=org.id, platform=PLATFORM, external_id=self.org, now=self.app.clock.now()
                )
            return True

    async def person(self, email: str) -> Person | None:
        async with self.app.db.read() as session:
            org = await orgs.by_slug(session, self.org)
            return await people.by_email(session, org_id=org.id, email=email) if org else None

    async def example_handle(self, person: Person) -> str:
        """A colleague's handle for the welcome's example command."""
        async with self.app.db.read() as session:
            colleague = await people.a_colleague(session, org_id=person.org_id, person=person)
        return colleague.handle if colleague else "ann"

    async def messages_for(self, email: str) -> Messages:
        person = await self.person(email)
        async with self.app.db.read() as session:
            org = await orgs.by_slug(session, self.org)
        locale = person.locale if person and person.locale else org.default_locale
        return self.app.catalogue.messages(locale)

    async def send(self, *, email: str, text: str, channel: str = DM_CHANNEL) -> str | None:
        """Hand one typed line to the core; the reply as text, or None when there is none."""
        reply: Reply | None = await self.app.core.handle(
            to_event(org=self.org, email=email, text=text, channel=channel)
        )
        return render(reply) if reply else None

    async def deliver(self, *, viewer: Messages) -> list[Delivery]:
        """Deliver every due console message: what the delivery worker does for Slack and Teams."""
        now = self.app.clock.now()
        delivered: list[Delivery] = []
        async with self.app.db.transaction() as session:
            for row in await outbox.claim_due(session, platform=PLATFORM, now=now, limit=1000):
                delivered.append(await delivery(session, row, viewer))
                await outbox_marks.mark_sent(session, message_id=row.id, now=now)
        return delivered


async def delivery(session, row: Claimed, viewer: Messages) -> Delivery:
    """One outbox message as the console shows it: to whom (`viewer`'s words) and its text."""
    reply = Reply.from_dict(row.payload)
    text = render(reply)
    files = tuple(part for part in reply.parts if isinstance(part, File))
    if row.kind == "dm":
        person = await people.by_id(session, org_id=row.org_id, person_id=row.recipient_id)
        name = f"{person.display_name} <{person.email}>" if person.email else person.display_name
        label = viewer("console.dm_to", name=name)
        return Delivery(recipient=person.email or name, label=label, text=text, files=files)
    return Delivery(
        recipient=row.channel_id, label=viewer("console.post_in", channel=row.channel_id), text=text
    )
