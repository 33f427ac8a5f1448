"""Who is who: the acting person, and the people a message mentions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.events import Actor
from bot.i18n import normalise_locale
from bot.parse import PersonRef
from bot.turn import Turn
from store import people
from store.models import Organisation, Person


async def resolve_actor(session: AsyncSession, *, org: Organisation, actor: Actor, now: datetime) -> Person:
    """The person behind `actor`: by platform identity, else by email (people imported before they
    first wrote), else a new person, so that nobody is turned away for not being imported yet."""

    async def match_or_create() -> Person:
        person = await people.by_email(session, org_id=org.id, email=actor.email) if actor.email else None
        return person or await people.create(
            session,
            org_id=org.id,
            display_name=actor.name or actor.user_id,
            email=actor.email,
            timezone=actor.timezone,
            locale=normalise_locale(actor.locale),
            now=now,
        )

    return await _by_identity_or_first_sight(
        session, org_id=org.id, platform=actor.platform, user_id=actor.user_id, make=match_or_create
    )


async def _by_identity_or_first_sight(
    session: AsyncSession,
    *,
    org_id: int,
    platform: str,
    user_id: str,
    make: Callable[[], Awaitable[Person]],
) -> Person:
    """The person with this platform identity, made (by `make`) and linked when there is none.

    Two events from someone new can arrive together (a double click, a burst): the loser of the race
    rolls back its savepoint and takes the person the winner made.
    """
    person = await people.by_identity(session, org_id=org_id, platform=platform, user_id=user_id)
    if person is not None:
        return person
    try:
        async with session.begin_nested():
            person = await make()
            await people.add_identity(
                session, org_id=org_id, person_id=person.id, platform=platform, user_id=user_id
            )
            return person
    except IntegrityError:
        return await people.by_identity(session, org_id=org_id, platform=platform, user_id=user_id)


async def resolve_refs(turn: Turn, refs: Sequence[PersonRef]) -> dict[PersonRef, Person]:
    """Each reference mapped to the person it names, in the order written.

    A platform user id Rapport has not met yet becomes a new person (their profile is filled later);
    a handle or email that matches nobody is an error naming every such reference.
    """
    unresolved = [ref.text for ref in refs if not (ref.user_id or ref.handle or ref.email)]
    if unresolved:
        raise UserError("error.unresolved_mention", names=turn.t.join(unresolved))
    refs = list(dict.fromkeys(refs))
    platform = turn.event.actor.platform
    by_handle, by_email, by_user, reach = await people.matching_with_platforms(
        turn.session,
        org_id=turn.org.id,
        handles=[r.handle for r in refs if r.handle],
        emails=[r.email for r in refs if r.email],
        platform=platform,
        user_ids=[r.user_id for r in refs if r.user_id],
    )
    turn.reach.update(reach)
    found: dict[PersonRef, Person] = {}
    unknown: list[str] = []
    for ref in refs:
        if ref.user_id:
            found[ref] = by_user.get(ref.user_id) or await _first_mention(turn, ref)
        elif person := (by_email.get(ref.email) if ref.email else by_handle.get(ref.handle)):
            found[ref] = person
        else:
            unknown.append(ref.text)
    if unknown:
        raise UserError("error.unknown_people", names=turn.t.join(unknown))
    return found


async def _first_mention(turn: Turn, ref: PersonRef) -> Person:
    """A platform user mentioned before Rapport has met them: a new person, named as mentioned."""
    session, org_id = turn.session, turn.org.id

    async def create() -> Person:
        return await people.create(session, org_id=org_id, display_name=ref.text, now=turn.clock.now())

    return await _by_identity_or_first_sight(
        session, org_id=org_id, platform=turn.event.actor.platform, user_id=ref.user_id, make=create
    )
