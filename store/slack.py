"""What Slack needs from the store: delivery targets, the profile queue, and merging a first-sight
person into the imported person with the same email."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store import people
from store.models import Identity, Organisation, Person, Workspace, in_org
from store.slack_models import SlackProfile

log = logging.getLogger(__name__)

PLATFORM = "slack"


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where a message goes on Slack: the team, the recipient's user id (DMs) and their language; for
    a recipient with no Slack identity yet, their email to look them up by."""

    team_id: str | None
    user_id: str | None
    locale: str
    email: str | None = None


async def _team_and_locale(session: AsyncSession, *, org_id: int) -> tuple[str | None, str | None]:
    """The organisation's (first) Slack team and its default language."""
    team_id = await session.scalar(
        select(Workspace.external_id)
        .where(Workspace.org_id == org_id, Workspace.platform == PLATFORM)
        .order_by(Workspace.id)
        .limit(1)
    )
    org_locale = await session.scalar(select(Organisation.default_locale).where(Organisation.id == org_id))
    return team_id, org_locale


async def delivery_target(session: AsyncSession, *, org_id: int, person_id: int | None) -> Target:
    """The Slack team of `org_id` and, for a DM, the recipient's Slack user id and locale."""
    team_id, org_locale = await _team_and_locale(session, org_id=org_id)
    if person_id is None:
        return Target(team_id=team_id, user_id=None, locale=org_locale or "en")
    row = (
        await session.execute(
            select(Identity.platform_user_id, Person.locale)
            .join(Person, Person.id == Identity.person_id)
            .where(Identity.org_id == org_id, Identity.person_id == person_id, Identity.platform == PLATFORM)
            .order_by(Identity.id)
            .limit(1)
        )
    ).first()
    if row is None:
        person = await people.by_id(session, org_id=org_id, person_id=person_id)
        locale = (person.locale if person else None) or org_locale or "en"
        return Target(team_id=team_id, user_id=None, locale=locale, email=person.email if person else None)
    return Target(team_id=team_id, user_id=row.platform_user_id, locale=row.locale or org_locale or "en")


# Built once, from the tables (not the ORM's entities, which have nothing to load here): coercing a
# list of 500 ids into the query, and the ORM's handling of each row, took longer than running it.
_person, _identity = Person.__table__.c, Identity.__table__.c
_TARGETS = (
    select(_person.id, _person.locale, _person.email, _identity.platform_user_id)
    .select_from(Person.__table__)
    .outerjoin(
        Identity.__table__,
        (_identity.person_id == _person.id)
        & in_org(_identity.org_id, bindparam("org_id"))  # by person_id: see in_org
        & (_identity.platform == PLATFORM),
    )
    .where(in_org(_person.org_id, bindparam("org_id")), _person.id.in_(bindparam("ids", expanding=True)))
    .order_by(_identity.id)
)


async def delivery_targets(
    session: AsyncSession, *, org_id: int, person_ids: set[int | None]
) -> dict[int | None, Target]:
    """`delivery_target` for many recipients of one organisation (None: a channel post) in a few
    queries, whatever their number: for a delivery batch."""
    team_id, org_locale = await _team_and_locale(session, org_id=org_id)
    ids = [pid for pid in person_ids if pid is not None]
    rows = await session.execute(_TARGETS, {"org_id": org_id, "ids": ids})
    targets: dict[int | None, Target] = {
        None: Target(team_id=team_id, user_id=None, locale=org_locale or "en")
    }
    for person_id, locale, email, user_id in rows:
        if person_id not in targets:  # the first Slack identity, as delivery_target takes
            targets[person_id] = Target(
                team_id=team_id,
                user_id=user_id,
                locale=locale or org_locale or "en",
                email=None if user_id else email,
            )
    return targets


# The tables slack_sdk's SQLAlchemy installation and OAuth-state stores own. Migration 0011 creates
# them; Rapport's models do not describe them, so autogenerate leaves them alone (store.migrate.ours).
INSTALLATION_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


@dataclass(frozen=True, kw_only=True)
class ProfileWork:
    """A Slack user whose profile has not been fetched: where to ask (team) and whom."""

    org_id: int
    team_id: str
    user_id: str


async def unfetched_profiles(session: AsyncSession, *, limit: int) -> list[ProfileWork]:
    """Slack identities with no profile fetched yet, oldest first, across organisations.

    Like the delivery worker's claims, this serves every organisation at once; each row names its own.
    """
    team = (
        select(func.min(Workspace.external_id))
        .where(Workspace.org_id == Identity.org_id, Workspace.platform == PLATFORM)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Identity.org_id, team.label("team_id"), Identity.platform_user_id)
        .outerjoin(
            SlackProfile,
            (SlackProfile.org_id == Identity.org_id) & (SlackProfile.user_id == Identity.platform_user_id),
        )
        .where(Identity.platform == PLATFORM, SlackProfile.user_id.is_(None))
        .order_by(Identity.id)
        .limit(limit)
    )
    return [
        ProfileWork(org_id=org_id, team_id=team_id, user_id=user_id)
        for org_id, team_id, user_id in rows
        if team_id is not None
    ]


async def record_fetch(
    session: AsyncSession,
    *,
    org_id: int,
    user_id: str,
    now: datetime,
    error: str | None = None,
    profile: Mapping[str, str | None] | None = None,
) -> None:
    """Mark a user's profile fetched (or given up on, with the reason), so it is not asked for again,
    and keep the name and time zone Slack gave (`refresh_profile` compares a later change with them)."""
    row = await session.get(SlackProfile, (org_id, user_id))
    if row is None:
        row = SlackProfile(org_id=org_id, user_id=user_id, fetched_at=now)
        session.add(row)
    row.fetched_at, row.error = now, error
    if profile is not None:
        row.display_name, row.timezone = profile.get("name"), profile.get("timezone")
    await session.flush()


# A person's field and the profile's key for it, for the fields a change on Slack may update. Email
# is not among them: it is how people are matched, and an import's email is not Slack's to change.
REFRESHED = (("display_name", "name"), ("timezone", "timezone"))


async def refresh_profile(
    session: AsyncSession, *, org_id: int, user_id: str, profile: Mapping[str, str | None], now: datetime
) -> Person | None:
    """Apply a profile Slack says has changed (`user_change`) to the person with that Slack identity.

    A field follows Slack where its value came from Slack: the person was met on Slack (not imported),
    or the value is blank or what Slack said last. What the org import set stands, as in `fill_profile`.
    Users Rapport has not met, and those whose first profile the background filler has yet to fetch,
    are left alone.

    Returns:
        The person when their time zone changed (their next check-in is then planned again), else None.
    """
    seen = await session.get(SlackProfile, (org_id, user_id))
    person = await people.by_identity(session, org_id=org_id, platform=PLATFORM, user_id=user_id)
    if seen is None or person is None:
        return None
    before = {"display_name": seen.display_name, "timezone": seen.timezone}
    from_slack = person.handle is None  # never imported: Slack is where every field came from
    moved = False
    for field, key in REFRESHED:
        value, current = profile.get(key), getattr(person, field)
        if field == "display_name" and value and from_slack:
            value = await people.unlinked_name(
                session, org_id=org_id, name=value, platform=PLATFORM, user_id=user_id, person_id=person.id
            )
        if value and value != current and (from_slack or not current or current == before[field]):
            setattr(person, field, value)
            person.updated_at = now
            moved = moved or field == "timezone"
    seen.display_name = profile.get("name") or seen.display_name
    seen.timezone = profile.get("timezone") or seen.timezone
    await session.flush()
    return person if moved else None


async def fill_profile(
    session: AsyncSession,
    *,
    org_id: int,
    user_id: str,
    profile: Mapping[str, str | None],
    now: datetime,
) -> Person | None:
    """Fill a Slack user's person from their Slack profile (name, email, timezone, locale).

    A person Rapport made on first sight (no email, no handle) takes the whole profile. When the
    profile's email belongs to a person imported before (who has no Slack identity yet), the two are
    one: everything the first-sight person did moves to the imported one (see `merge_person`). An
    imported person keeps what the import said and only gains the fields it left blank.

    Returns:
        The person who now holds the Slack identity, None when there is no such identity.
    """
    person = await people.by_identity(session, org_id=org_id, platform=PLATFORM, user_id=user_id)
    if person is None:
        return None
    email = profile.get("email")
    first_sight = person.email is None and person.handle is None
    if first_sight and email:
        other = await people.by_email(session, org_id=org_id, email=email)
        if other is not None and other.id != person.id:
            if PLATFORM in await people.platforms_of(session, org_id=org_id, person_id=other.id):
                email = None  # someone else on Slack already has it; keep them apart
            else:
                await merge_person(session, org_id=org_id, from_id=person.id, into_id=other.id)
                person = await people.by_id(session, org_id=org_id, person_id=other.id)
                first_sight = False
    fields = ("display_name", "email", "timezone", "locale")
    values = {"display_name": profile.get("name"), **profile, "email": email}
    if first_sight and values["display_name"]:
        name = values["display_name"]
        values["display_name"] = await people.unlinked_name(
            session, org_id=org_id, name=name, platform=PLATFORM, user_id=user_id, person_id=person.id
        )
    for name in fields:
        value = values.get(name)
        if value and (first_sight or not getattr(person, name)):
            setattr(person, name, value)
    person.updated_at = now
    await session.flush()
    return person


async def claim_identity(session: AsyncSession, *, org_id: int, person_id: int, user_id: str) -> None:
    """Give a person (found on Slack by their email) the Slack user id. When Rapport already met that
    user as a first-sight person, that person merges into this one."""
    holder = await people.by_identity(session, org_id=org_id, platform=PLATFORM, user_id=user_id)
    if holder is None:
        await people.add_identity(
            session, org_id=org_id, person_id=person_id, platform=PLATFORM, user_id=user_id
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
