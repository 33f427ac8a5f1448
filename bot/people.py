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
            display_name=await _unlinked_name(session, org_id=org.id, actor=actor),
            email=actor.email,
            timezone=actor.timezone,
            locale=normalise_locale(actor.locale),
            now=now,
        )

    return await _by_identity_or_first_sight(
        session, org_id=org.id, platform=actor.platform, user_id=actor.user_id, make=match_or_create
    )


async def _unlinked_name(session: AsyncSession, *, org_id: int, actor: Actor) -> str:
    if not actor.name:
        return actor.user_id
    return await people.unlinked_name(
        session, org_id=org_id, name=actor.name, platform=actor.platform, user_id=actor.user_id
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
    (found,) = await resolve_refs_many([(turn, refs)])
    if isinstance(found, UserError):
        raise found
    return found


async def resolve_refs_many(
    items: Sequence[tuple[Turn, Sequence[PersonRef]]],
) -> list[dict[PersonRef, Person] | UserError]:
    """`resolve_refs` for turns handled together (they share a session): one query per organisation
    and platform for all their references; each turn's result, or the error it would have raised."""
    wanted: dict[tuple[int, str], tuple[set, set, set]] = {}
    for turn, refs in items:
        handles, emails, user_ids = wanted.setdefault(
            (turn.org.id, turn.event.actor.platform), (set(), set(), set())
        )
        handles.update(r.handle for r in refs if r.handle)
        emails.update(r.email for r in refs if r.email)
        user_ids.update(r.user_id for r in refs if r.user_id)
    matches = {}
    for (org_id, platform), (handles, emails, user_ids) in wanted.items():
        matches[(org_id, platform)] = await people.matching_with_platforms(
            items[0][0].session,
            org_id=org_id,
            handles=handles,
            emails=emails,
            platform=platform,
            user_ids=user_ids,
        )
    results: list[dict[PersonRef, Person] | UserError] = []
    for turn, refs in items:
        by_handle, by_email, by_user, reach = matches[(turn.org.id, turn.event.actor.platform)]
        turn.reach.update(reach)
        results.append(await _resolved(turn, refs, by_handle=by_handle, by_email=by_email, by_user=by_user))
    return results


async def _resolved(
    turn: Turn,
    refs: Sequence[PersonRef],
    *,
    by_handle: dict[str, Person],
    by_email: dict[str, Person],
    by_user: dict[str, Person],
) -> dict[PersonRef, Person] | UserError:
    unresolved = [
        ref.text for ref in refs if not (ref.user_id or ref.handle or ref.email or ref.person_id or ref.name)
    ]
    if unresolved:
        return UserError("error.unresolved_mention", names=turn.t.join(unresolved))
    named = await people.by_display_names(
        turn.session, org_id=turn.org.id, names=(ref.name for ref in refs if ref.name)
    )
    found: dict[PersonRef, Person] = {}
    unknown: list[str] = []
    for ref in dict.fromkeys(refs):
        if ref.name:  # "@张伟": a display name, when exactly one person has it
            same = named.get(ref.name, [])
            if len(same) > 1:
                handles = turn.t.join(f"@{p.handle}" for p in same if p.handle)
                return UserError("error.shared_name", name=ref.text, handles=handles)
            if same:
                found[ref] = same[0]
            else:
                unknown.append(ref.text)
            continue
        if ref.person_id:  # Rapport's own mention, written when an answer was given (`parse.mention_of`)
            person = await people.by_id(turn.session, org_id=turn.org.id, person_id=ref.person_id)
            if person is None or person.erased_at is not None:
                unknown.append(f"@{ref.text}")
            else:
                found[ref] = person
        elif ref.user_id and ref.user_id in by_user:
            found[ref] = by_user[ref.user_id]
        elif ref.user_id and ref.platform in (None, turn.event.actor.platform):
            found[ref] = await _first_mention(turn, ref)  # someone met on this platform, not yet by Rapport
        elif ref.user_id:  # another platform's mention typed here ("<@U0CAROL>" in the console): nobody
            unknown.append(ref.text)
        elif person := (by_email.get(ref.email.lower()) if ref.email else by_handle.get(ref.handle.lower())):
            found[ref] = person
        else:
            unknown.append(ref.text)
    if unknown:
        return UserError("error.unknown_people", names=turn.t.join(unknown))
    return found


async def _first_mention(turn: Turn, ref: PersonRef) -> Person:
    """A platform user mentioned before Rapport has met them: a new person, named as mentioned."""
    session, org_id = turn.session, turn.org.id

    platform = turn.event.actor.platform

    async def create() -> Person:
        name = await people.unlinked_name(
            session, org_id=org_id, name=ref.text, platform=platform, user_id=ref.user_id
        )
        return await people.create(session, org_id=org_id, display_name=name, now=turn.clock.now())

    return await _by_identity_or_first_sight(
        session, org_id=org_id, platform=platform, user_id=ref.user_id, make=create
    )
