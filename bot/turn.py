"""A turn: everything a feature needs to answer one event, and nothing platform-shaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.events import Event, HomeOpened
from bot.i18n import Catalogue, Messages
from bot.messaging import Messaging, flush_all
from bot.replies import Reply
from bot.workdays import person_zone
from store.models import Organisation, Person


@dataclass(kw_only=True)
class Turn(Messaging):
    """One event being handled, inside one database transaction (the unit of work).

    Attributes:
        event: what happened.
        org: the organisation it happened in; every query the feature makes is scoped to it.
        person: who acted.
        session: the transaction; outgoing messages (`send_dm`, `post`: `bot.messaging`) commit with it.
        clock: the time source.
        catalogue: all messages; `t` is the acting person's language.
        reach: the platforms each person can be reached on, by person id, as far as this turn has
            read them already (`resolve_refs` fills it), so that `send_dm` need not ask again.

    Messages queued with `send_dm` and `post` (and the answers to the event itself) are written to the
    outbox together, in the order queued, when the core calls `flush` after the feature has run: one
    Core INSERT per turn.
    """

    event: Event
    org: Organisation
    person: Person
    session: AsyncSession
    clock: Clock
    catalogue: Catalogue
    reach: dict[int, list[str]] = field(default_factory=dict)
    _outbox: list[dict] = field(default_factory=list, repr=False)

    @cached_property
    def today(self) -> date:
        """The acting person's date: their day starts at midnight where they live."""
        return self.clock.now().astimezone(person_zone(self.person, self.org)).date()

    def day_of(self, moment: datetime) -> date:
        """The acting person's date of `moment`: what they would call that day where they live."""
        return moment.astimezone(person_zone(self.person, self.org)).date()

    @property
    def t(self) -> Messages:
        return self.messages_for(self.person)

    @property
    def here(self) -> str:
        return self.event.actor.platform

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def answer_where_asked(self, reply: Reply) -> None:
        """Queue the reply to this event where it happened: its channel (a DM is one), else a DM;
        an App Home opening is answered with the person's home view."""
        self._outbox.append(answer_target(self.event, self.person.id) | {"payload": reply.to_dict()})

    def answer_privately(self, reply: Reply) -> None:
        """Queue the reply to this event as a direct message to the person who acted (an answer too
        long for where they asked, which only they may see)."""
        platform = self.event.actor.platform
        self._outbox.append(
            {"kind": "dm", "recipient_id": self.person.id, "platform": platform, "payload": reply.to_dict()}
        )

    async def flush(self) -> None:
        """Write the queued messages (one Core INSERT: the ORM's unit of work cost more than the
        insert itself on this, the busiest write path)."""
        await flush_all([self])


def answer_target(event: Event, person_id: int | None) -> dict:
    """Where a reply to `event` goes: the outbox fields naming the channel or the person's DM."""
    here = {"platform": event.actor.platform}
    if isinstance(event, HomeOpened):
        return here | {"kind": "home", "recipient_id": person_id}
    if event.channel is not None:
        return here | {"kind": "channel", "channel_id": event.channel.id}
    return here | {"kind": "dm", "recipient_id": person_id}
