"""People and their platform identities. Every query names the organisation. (The directory in bulk, for
the org import, is store/directory.py.)"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Identity, Person, in_org


async def by_id(session: AsyncSession, *, org_id: int, person_id: int) -> Person | None:
    return await session.scalar(select(Person).where(Person.org_id == org_id, Person.id == person_id))


async def by_identity(session: AsyncSession, *, org_id: int, platform: str, user_id: str) -> Person | None:
    return await session.scalar(
        select(Person)
        .join(Identity, Identity.person_id == Person.id)
        .where(
            Identity.org_id == org_id,
            Identity.platform == platform,
            Identity.platform_user_id == user_id,
        )
    )


async def by_email(session: AsyncSession, *, org_id: int, email: str) -> Person | None:
    return await session.scalar(
        select(Person).where(Person.org_id == org_id, func.lower(Person.email) == email.lower())
    )


async def by_handle(session: AsyncSession, *, org_id: int, handle: str) -> Person | None:
    return await session.scalar(
        select(Person).where(Person.org_id == org_id, func.lower(Person.handle) == handle.lower())
    )


async def by_emails(session: AsyncSession, *, org_id: int, emails: Iterable[str]) -> dict[str, Person]:
    """People keyed by lower-cased email."""
    wanted = {e.lower() for e in emails}
    if not wanted:
        return {}
    rows = await session.scalars(
        select(Person).where(Person.org_id == org_id, func.lower(Person.email).in_(wanted))
    )
    return {p.email.lower(): p for p in rows}


async def by_display_names(
    session: AsyncSession, *, org_id: int, names: Iterable[str]
) -> dict[str, list[Person]]:
    """The people (not erased) with each of these display names, exactly as written; a name may be
    shared."""
    wanted = set(names)
    if not wanted:
        return {}
    rows = await session.scalars(
        select(Person)
        .where(Person.org_id == org_id, Person.display_name.in_(wanted), Person.erased_at.is_(None))
        .order_by(Person.id)
    )
    found: dict[str, list[Person]] = {}
    for person in rows:
        found.setdefault(person.display_name, []).append(person)
    return found


async def matching(
    session: AsyncSession, *, org_id: int, **criteria: Any
) -> tuple[dict[str, Person], dict[str, Person], dict[str, Person]]:
    """People named by handle, by email or by platform user id, in one query.

    Takes the criteria of `matching_with_platforms` (handles, emails, platform, user_ids).

    Returns three maps keyed by lower-cased handle, lower-cased email and user id.
    """
    found = await matching_with_platforms(session, org_id=org_id, **criteria)
    return found[:3]


@functools.cache
def _matching_query(handles: bool, emails: bool, user_ids: bool) -> Select:
    """`matching_with_platforms`'s query for the kinds of reference given, built once per kind:
    every turn that names someone runs it, and building it cost more than running it."""
    org_id = bindparam("org_id")
    lookups = []  # one index lookup per kind of reference
    if handles:
        lower = func.lower(Person.handle)
        lookups.append(
            select(Person.id).where(Person.org_id == org_id, lower.in_(bindparam("handles", expanding=True)))
        )
    if emails:
        lower = func.lower(Person.email)
        lookups.append(
            select(Person.id).where(Person.org_id == org_id, lower.in_(bindparam("emails", expanding=True)))
        )
    if user_ids:
        lookups.append(
            select(Identity.person_id).where(
                Identity.org_id == org_id,
                Identity.platform == bindparam("platform"),
                Identity.platform_user_id.in_(bindparam("user_ids", expanding=True)),
            )
        )
    named = lookups[0] if len(lookups) == 1 else union_all(*lookups)
    return (
        select(Person, Identity.platform, Identity.platform_user_id)
        .outerjoin(Identity, (Identity.person_id == Person.id) & (Identity.org_id == org_id))
        .where(Person.org_id == org_id, Person.id.in_(named))
        .order_by(Person.id, Identity.id)
    )


async def matching_with_platforms(
    session: AsyncSession,
    *,
    org_id: int,
    handles: Iterable[str] = (),
    emails: Iterable[str] = (),
    platform: str | None = None,
    user_ids: Iterable[str] = (),
) -> tuple[dict[str, Person], dict[str, Person], dict[str, Person], dict[int, list[str]]]:
    """`matching`, plus the platforms each person found can be reached on (as `platforms_of` orders
    them), in the same single query: a turn that names people usually writes to them next.
    """
    handles, emails, user_ids = {h.lower() for h in handles}, {e.lower() for e in emails}, set(user_ids)
    by_user_id = bool(user_ids and platform)
    if not (handles or emails or by_user_id):
        return {}, {}, {}, {}
    query = _matching_query(bool(handles), bool(emails), by_user_id)
    params = {
        "org_id": org_id,
        "platform": platform,
        "handles": list(handles),
        "emails": list(emails),
        "user_ids": list(user_ids),
    }
    by_handle, by_email, by_user, platforms = {}, {}, {}, {}
    for person, on, user_id in await session.execute(query, params):
        if person.handle and person.handle.lower() in handles:
            by_handle[person.handle.lower()] = person
        if person.email and person.email.lower() in emails:
            by_email[person.email.lower()] = person
        if on == platform and user_id in user_ids:
            by_user[user_id] = person
        reach = platforms.setdefault(person.id, [])
        if on is not None and on not in reach:
            reach.append(on)
    return by_handle, by_email, by_user, platforms


async def names(session: AsyncSession, *, org_id: int, person_ids: Iterable[int]) -> dict[int, str]:
    """Display names by person id, in one query."""
    ids = set(person_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.display_name).where(in_org(Person.org_id, org_id), Person.id.in_(ids))
    )
    return dict(rows.all())


async def locales(session: AsyncSession, *, org_id: int, person_ids: Iterable[int]) -> dict[int, str | None]:
    """Each person's own locale (None: the organisation's default) by person id, in one query."""
    ids = set(person_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.locale).where(in_org(Person.org_id, org_id), Person.id.in_(ids))
    )
    return dict(rows.all())


async def departments(session: AsyncSession, *, org_id: int) -> list[str]:
    """The organisation's departments, as the org import spelled them, sorted."""
    rows = await session.scalars(
        select(Person.department)
        .where(Person.org_id == org_id, Person.department.is_not(None))
        .distinct()
        .order_by(Person.department)
    )
    return list(rows)


async def all_in_org(session: AsyncSession, *, org_id: int) -> list[Person]:
    return list(await session.scalars(select(Person).where(Person.org_id == org_id).order_by(Person.id)))


async def create(
    session: AsyncSession,
    *,
    org_id: int,
    display_name: str,
    now: datetime,
    email: str | None = None,
    handle: str | None = None,
    timezone: str | None = None,
    locale: str | None = None,
) -> Person:
    person = Person(
        org_id=org_id,
        display_name=display_name,
        email=email,
        handle=handle,
        timezone=timezone,
        locale=locale,
        created_at=now,
        updated_at=now,
    )
    session.add(person)
    await session.flush()
    return person


async def unlinked_name(
    session: AsyncSession,
    *,
    org_id: int,
    name: str,
    platform: str,
    user_id: str,
    person_id: int | None = None,
) -> str:
    """The name to show for someone met on a platform and not linked to anyone Rapport knew (no email
    match, no id from the org import): their own, unless someone else in the organisation already goes
    by it; then with their platform account after it, "Alice Smith (<platform> U0ABC)", so that a new
    account cannot pass as a colleague. Linked later (by email, on their platform), they take the name of the
    person they are.
    """
    taken = select(Person.id).where(
        Person.org_id == org_id, func.lower(Person.display_name) == name.strip().lower()
    )
    if person_id is not None:
        taken = taken.where(Person.id != person_id)
    if await session.scalar(taken.limit(1)) is None:
        return name
    return f"{name} ({platform} {user_id})"


async def add_identity(
    session: AsyncSession, *, org_id: int, person_id: int, platform: str, user_id: str
) -> Identity:
    identity = Identity(org_id=org_id, person_id=person_id, platform=platform, platform_user_id=user_id)
    session.add(identity)
    await session.flush()
    return identity


async def platforms_of(session: AsyncSession, *, org_id: int, person_id: int) -> list[str]:
    """The platforms a person can be reached on, in the order their identities were made."""
    rows = await session.scalars(
        select(Identity.platform)
        .where(Identity.org_id == org_id, Identity.person_id == person_id)
        .order_by(Identity.id)
    )
    return list(dict.fromkeys(rows))


async def a_colleague(session: AsyncSession, *, org_id: int, person: Person) -> Person | None:
    """Someone to use in an example for `person`: a teammate (same manager) first, else anyone."""
    teammate_first = case((Person.manager_id == person.manager_id, 0), else_=1) if person.manager_id else None
    return await session.scalar(
        select(Person)
        .where(Person.org_id == org_id, Person.id != person.id, Person.handle.is_not(None))
        .order_by(*(o for o in (teammate_first, Person.id) if o is not None))
        .limit(1)
    )


async def reports_of(session: AsyncSession, *, org_id: int, manager_id: int) -> list[Person]:
    """A manager's direct reports."""
    return list(
        await session.scalars(
            select(Person).where(Person.org_id == org_id, Person.manager_id == manager_id).order_by(Person.id)
        )
    )
