"""What a platform's profile changes about a person, and merging two people found to be one.

Platform-neutral: a platform's adapter fetches a profile and hands it over (`bot.identity`); the rules
of which field follows the platform and when a first-sight person merges into an imported one are
the same for every platform.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store import people
from store.models import Person

log = logging.getLogger(__name__)


# A person's field and the profile's key for it, for the fields a change on the platform may update.
# Email is not among them: it is how people are matched, and an import's email is not a platform's
# to change.
REFRESHED = (("display_name", "name"), ("timezone", "timezone"))


async def refresh_profile(
    session: AsyncSession,
    *,
    org_id: int,
    platform: str,
    user_id: str,
    profile: Mapping[str, str | None],
    before: Mapping[str, str | None],
    now: datetime,
) -> Person | None:
    """Apply a changed profile to the person with that platform identity; `before` is what the
    platform said last.

    A field follows the platform where its value came from it: the person was met there (not
    imported), or the value is blank or what the platform said last. What the org import set stands,
    as in `fill_profile`. Users Rapport has not met are left alone.

    Returns:
        The person when their time zone changed (their next check-in is then planned again), else None.
    """
    person = await people.by_identity(session, org_id=org_id, platform=platform, user_id=user_id)
    if person is None:
        return None
    said = {"display_name": before.get("name"), "timezone": before.get("timezone")}
    from_platform = person.handle is None  # never imported: the platform is where every field came from
    moved = False
    for field, key in REFRESHED:
        value, current = profile.get(key), getattr(person, field)
        if field == "display_name" and value and from_platform:
            value = await people.unlinked_name(
                session, org_id=org_id, name=value, platform=platform, user_id=user_id, person_id=person.id
            )
        if value and value != current and (from_platform or not current or current == said[field]):
            setattr(person, field, value)
            person.updated_at = now
            moved = moved or field == "timezone"
    await session.flush()
    return person if moved else None


async def fill_profile(
    session: AsyncSession,
    *,
    org_id: int,
    platform: str,
    user_id: str,
    profile: Mapping[str, str | None],
    now: datetime,
) -> Person | None:
    """Fill a platform user's person from their first profile there (name, email, timezone, locale).

    A person Rapport made on first sight (no email, no handle) takes the whole profile. When the
    profile's email belongs to a person imported before (who has no identity on this platform yet), the two are
    one: everything the first-sight person did moves to the imported one (see `merge_person`). An
    imported person keeps what the import said and only gains the fields it left blank.

    Returns:
        The person who now holds the identity, None when there is no such identity.
    """
    person = await people.by_identity(session, org_id=org_id, platform=platform, user_id=user_id)
    if person is None:
        return None
    email = profile.get("email")
    first_sight = person.email is None and person.handle is None
    if first_sight and email:
        other = await people.by_email(session, org_id=org_id, email=email)
        if other is not None and other.id != person.id:
            if platform in await people.platforms_of(session, org_id=org_id, person_id=other.id):
                email = None  # someone else on this platform already has it; keep them apart
            else:
                await merge_person(session, org_id=org_id, from_id=person.id, into_id=other.id)
                person = await people.by_id(session, org_id=org_id, person_id=other.id)
                first_sight = False
    fields = ("display_name", "email", "timezone", "locale")
    values = {"display_name": profile.get("name"), **profile, "email": email}
    if first_sight and values["display_name"]:
        name = values["display_name"]
        values["display_name"] = await people.unlinked_name(
            session, org_id=org_id, name=name, platform=platform, user_id=user_id, person_id=person.id
        )
    for name in fields:
        value = values.get(name)
        if value and (first_sight or not getattr(person, name)):
            setattr(person, name, value)
    person.updated_at = now
    await session.flush()
    return person


async def claim_identity(
    session: AsyncSession, *, org_id: int, person_id: int, platform: str, user_id: str
) -> None:
    """Give a person (found on the platform by their email) the platform user id. When Rapport already
    met that user as a first-sight person, that person merges into this one."""
    holder = await people.by_identity(session, org_id=org_id, platform=platform, user_id=user_id)
    if holder is None:
        await people.add_identity(
            session, org_id=org_id, person_id=person_id, platform=platform, user_id=user_id
        )
    elif holder.id != person_id and holder.email is None and holder.handle is None:
        await merge_person(session, org_id=org_id, from_id=holder.id, into_id=person_id)


async def merge_person(session: AsyncSession, *, org_id: int, from_id: int, into_id: int) -> None:
    """Make `into_id` the person `from_id` was, then delete `from_id`.

    Every column that references a person (kudos given and received, actions, feedback, form sessions,
    identities, manager links...) is re-pointed, table by table, each in a savepoint. Where re-pointing
    would break a unique constraint (both already hold the same role, say), the duplicate stays with
    `from_id` and goes with it.
    """
    from store.schema import Base  # every model module, so no table is missed

    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not any(fk.column.table.name == "person" for fk in column.foreign_keys):
                continue
            statement = update(table).where(column == from_id).values({column.name: into_id})
            if "org_id" in table.c:
                statement = statement.where(table.c.org_id == org_id)
            try:
                async with session.begin_nested():
                    await session.execute(statement, execution_options={"synchronize_session": False})
            except IntegrityError:
                log.warning("merging person %s into %s: %s rows left behind", from_id, into_id, table.name)
    await session.execute(
        delete(Person).where(Person.org_id == org_id, Person.id == from_id),
        execution_options={"synchronize_session": False},
    )
    session.expunge_all()  # objects loaded before the merge may name the deleted person
