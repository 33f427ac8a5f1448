"""One way to send, for a person's turn and for due work alike: a direct message to someone, or a
post in a channel, queued in the outbox with the data that caused it.

`Turn` (an event being handled) and `JobContext` (a row of due work being run) are both `Messaging`:
a feature calls `send_dm(to=..., reply=...)` the same way from a command, a button or a job. Queued
messages are written to the outbox together, in the order queued, when the turn or the job ends
(`flush`: one Core INSERT), inside its transaction, so they are sent only if it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalogue, Messages
from bot.replies import Reply
from bot.workdays import zone_name
from store import outbox, people, schedules
from store.models import Organisation, Person


class Messaging:
    """Sending DMs in each recipient's language, through the outbox (mixed into `Turn` and
    `JobContext`, which hold these attributes).

    Attributes:
        session: the transaction the messages are written in.
        org: the organisation they are sent in.
        catalogue: all messages; `messages_for` picks a person's language.
        now: the time the messages are queued at.
        reach: the platforms each person can be reached on, by person id, as far as read already
            (`bot.people.resolve_refs` and `learn_reach` fill it), so that `send_dm` need not ask.
    """

    session: AsyncSession
    org: Organisation
    catalogue: Catalogue
    now: datetime
    reach: dict[int, list[str]]
    _outbox: list[dict]

    @property
    def here(self) -> str | None:
        """The platform the person being answered is on; None in due work, which answers no one."""
        return None

    def messages_for(self, person: Person | None) -> Messages:
        """The catalogue in `person`'s language (the organisation's default when they have none)."""
        locale = person.locale if person is not None and person.locale else self.org.default_locale
        return self.catalogue.messages(locale)

    def zone_for(self, person: Person) -> str:
        """`person`'s time zone, by the one rule (`bot.workdays.zone_name`): theirs, else the
        organisation's default, else UTC."""
        return zone_name(person, self.org)

    async def send_dm(self, *, to: Person, reply: Reply, expires_at: datetime | None = None) -> None:
        """Queue a direct message; it is delivered after the transaction commits, unless it could not
        be by `expires_at` (when what it says is of no use later: a link that expires, a prompt whose
        window has closed, a reminder for a meeting that has started).

        It goes out on the platform of the event being answered when the recipient is there (or on no
        platform yet), otherwise on the first platform they are known on; from due work, on the first
        platform they are known on, else on the organisation's first workspace (they will be met there).
        """
        platform = await self._platform_of(to.id)
        message = {"kind": "dm", "recipient_id": to.id, "platform": platform, "payload": reply.to_dict()}
        self._outbox.append(message if expires_at is None else message | {"expires_at": expires_at})

    async def post(self, *, channel_id: str, reply: Reply) -> None:
        """Queue a post in a channel of the platform the event came from (a turn's: due work has no
        channel of its own to post in)."""
        self._outbox.append(
            {"kind": "channel", "platform": self.here, "channel_id": channel_id, "payload": reply.to_dict()}
        )

    async def learn_reach(self, person_ids: Sequence[int]) -> None:
        """Read at once where each of these people not read yet is reached from due work (the first
        platform they are known on, else the organisation's first workspace): a few queries for work
        that sends to many, a batch of check-in prompts."""
        wanted = [person_id for person_id in dict.fromkeys(person_ids) if person_id not in self.reach]
        if not wanted:
            return
        first = await schedules.platforms_of_many(self.session, org_id=self.org.id, person_ids=wanted)
        fallback = None
        if len(first) < len(wanted):
            fallback = await schedules.workspace_platform(self.session, org_id=self.org.id)
        for person_id in wanted:
            platform = first.get(person_id, fallback)
            self.reach[person_id] = [platform] if platform else []

    async def _platform_of(self, person_id: int) -> str | None:
        known = self.reach.get(person_id)
        if known is None:
            known = await people.platforms_of(self.session, org_id=self.org.id, person_id=person_id)
            self.reach[person_id] = known
        here = self.here
        if here is not None and (here in known or not known):
            return here
        return known[0] if known else await schedules.workspace_platform(self.session, org_id=self.org.id)


class Mailing(Messaging):
    """Sending on an operator's behalf, outside any turn or job (an org import, an erasure): nobody
    is being answered, so each message goes where due work would send it. `flush` queues them in the
    caller's transaction."""

    def __init__(
        self, *, session: AsyncSession, org: Organisation, catalogue: Catalogue, now: datetime
    ) -> None:
        self.session, self.org, self.catalogue, self.now = session, org, catalogue, now
        self.reach, self._outbox = {}, []

    async def flush(self) -> None:
        await flush_all([self])


async def flush_all(senders: Sequence[Messaging]) -> None:
    """Write what these turns or jobs queued (they share a session): one INSERT per organisation,
    each one's messages in the order it queued them, one after the other."""
    by_org: dict[int, list[dict]] = {}
    for sender in senders:
        by_org.setdefault(sender.org.id, []).extend(sender._outbox)
        sender._outbox = []
    for org_id, messages in by_org.items():
        if messages:
            await outbox.enqueue_many(
                senders[0].session, org_id=org_id, messages=messages, now=senders[0].now
            )
