"""Which platform account reaches a person: the workspace and user id a platform delivers to.

Platform-neutral: every query names the platform and the organisation. A platform's own tables
(conversation references and the like) add what else it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from store import people
from store.models import Identity, Organisation, Person, Workspace, in_org


@dataclass(frozen=True, kw_only=True)
class Target:
    """Where a message goes on one platform: the organisation's workspace there, the recipient's
    user id (DMs) and their language; for a recipient with no identity there yet, their email to
    look them up by."""

    workspace: str | None
    user_id: str | None
    locale: str
    email: str | None = None


async def workspace_of(session: AsyncSession, *, org_id: int, platform: str) -> str | None:
    """The organisation's (first) workspace on the platform, if any."""
    return await session.scalar(
        select(Workspace.external_id)
        .where(Workspace.org_id == org_id, Workspace.platform == platform)
        .order_by(Workspace.id)
        .limit(1)
    )


async def _workspace_and_locale(
    session: AsyncSession, *, org_id: int, platform: str
) -> tuple[str | None, str | None]:
    workspace = await workspace_of(session, org_id=org_id, platform=platform)
    org_locale = await session.scalar(select(Organisation.default_locale).where(Organisation.id == org_id))
    return workspace, org_locale


async def delivery_target(
    session: AsyncSession, *, org_id: int, person_id: int | None, platform: str
) -> Target:
    """The organisation's workspace on `platform` and, for a DM, the recipient's user id and locale."""
    workspace, org_locale = await _workspace_and_locale(session, org_id=org_id, platform=platform)
    if person_id is None:
        return Target(workspace=workspace, user_id=None, locale=org_locale or "en")
    row = (
        await session.execute(
            select(Identity.platform_user_id, Person.locale)
            .join(Person, Person.id == Identity.person_id)
            .where(Identity.org_id == org_id, Identity.person_id == person_id, Identity.platform == platform)
            .order_by(Identity.id)
            .limit(1)
        )
    ).first()
    if row is None:
        person = await people.by_id(session, org_id=org_id, person_id=person_id)
        locale = (person.locale if person else None) or org_locale or "en"
        return Target(
            workspace=workspace, user_id=None, locale=locale, email=person.email if person else None
        )
    return Target(workspace=workspace, user_id=row.platform_user_id, locale=row.locale or org_locale or "en")


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
        & (_identity.platform == bindparam("platform")),
    )
    .where(in_org(_person.org_id, bindparam("org_id")), _person.id.in_(bindparam("ids", expanding=True)))
    .order_by(_identity.id)
)


async def delivery_targets(
    session: AsyncSession, *, org_id: int, person_ids: set[int | None], platform: str
) -> dict[int | None, Target]:
    """`delivery_target` for many recipients of one organisation (None: a channel post) in a few
    queries, whatever their number: for a delivery batch."""
    workspace, org_locale = await _workspace_and_locale(session, org_id=org_id, platform=platform)
    ids = [pid for pid in person_ids if pid is not None]
    rows = await session.execute(_TARGETS, {"org_id": org_id, "ids": ids, "platform": platform})
    targets: dict[int | None, Target] = {
        None: Target(workspace=workspace, user_id=None, locale=org_locale or "en")
    }
    for person_id, locale, email, user_id in rows:
        if person_id not in targets:  # the first identity on the platform, as delivery_target takes
            targets[person_id] = Target(
                workspace=workspace,
                user_id=user_id,
                locale=locale or org_locale or "en",
                email=None if user_id else email,
            )
    return targets
