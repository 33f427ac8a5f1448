"""A turn: everything a feature needs to answer one event, and nothing platform-shaped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.events import Event, HomeOpened
from bot.i18n import Catalogue, Messages
from bot.replies import Reply
from store import outbox, people
from store.models import Organisation, Person


@dataclass(kw_only=True)
class Turn:
    """One event being handled, inside one database transaction (the unit of work).

    Attributes:
        event: what happened.
        org: the organisation it happened in; every query the feature makes is scoped to it.
        person: who acted.
        session: the transaction; outgoing messages written through `send_dm` / `post` commit with it.
        clock: the time source.
        catalogue: all messages; `t` is the acting person's language.
        reach: the platforms each person can be reached on, by person id, as far as this turn has
            read them already (`resolve_refs` fills it), so that `send_dm` need not ask again.

    Messages queued with `send_dm` and `post` are written to the outbox together, in the order
    queued, when the core calls `flush` after the feature has run: one Core INSERT per turn.
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
        return self.clock.now().astimezone(ZoneInfo(self.person.timezone or "UTC")).date()

    @property
    def t(self) -> Messages:
        return self.messages_for(self.person)

    def messages_for(self, person: Person | None) -> Messages:
        """The catalogue in `person`'s language (the organisation's default when they have none)."""
        locale = person.locale if person is not None and person.locale else self.org.default_locale
        return self.catalogue.messages(locale)

    async def send_dm(self, *, to: Person, reply: Reply, expires_at: datetime | None = None) -> None:
        """Queue a direct message; it is delivered after the transaction commits, unless it could not
        be by `expires_at` (when what it says is of no use later: a link that expires).

        It goes out on the platform this event came from when the recipient is there (or on no
        platform yet), otherwise on the first platform they are known on.
        """
        here = self.event.actor.platform
        known = self.reach.get(to.id)
        if known is None:
            known = await people.platforms_of(self.session, org_id=self.org.id, person_id=to.id)
        platform = here if here in known or not known else known[0]
        message = {"kind": "dm", "recipient_id": to.id, "platform": platform, "payload": reply.to_dict()}
        self._outbox.append(message if expires_at is None else message | {"expires_at": expires_at})

    async def post(self, *, channel_id: str, reply: Reply) -> None:
        """Queue a post in a channel of the platform the event came from."""
        platform = self.event.actor.platform
        self._outbox.append(
            {"kind": "channel", "platform": platform, "channel_id": channel_id, "payload": reply.to_dict()}
        )

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


async def flush_all(turns: Sequence[Turn]) -> None:
    """`Turn.flush` for turns handled together (they share a session): one INSERT per organisation,
    each turn's messages in the order it queued them, turn after turn."""
    by_org: dict[int, list[dict]] = {}
    for turn in turns:
        by_org.setdefault(turn.org.id, []).extend(turn._outbox)
        turn._outbox = []
    for org_id, messages in by_org.items():
        if messages:
            await outbox.enqueue_many(
                turns[0].session, org_id=org_id, messages=messages, now=turns[0].clock.now()
            )


def answer_target(event: Event, person_id: int | None) -> dict:
    """Where a reply to `event` goes: the outbox fields naming the channel or the person's DM."""
    here = {"platform": event.actor.platform}
    if isinstance(event, HomeOpened):
        return here | {"kind": "home", "recipient_id": person_id}
    if event.channel is not None:
        return here | {"kind": "channel", "channel_id": event.channel.id}
    return here | {"kind": "dm", "recipient_id": person_id}
