"""Teams conversation references (the adapter's own table): where Rapport can reach each Teams user.
Every query names the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.teams.tables import TeamsConversation
from store.models import Identity

PLATFORM = "teams"


@dataclass(frozen=True, kw_only=True)
class Reference:
    """What Rapport needs to message a Teams user: a conversation reference, in plain values."""

    user_id: str
    tenant_id: str
    service_url: str
    bot_id: str
    conversation_id: str | None = None
    aad_object_id: str | None = None


async def reference(session: AsyncSession, *, org_id: int, user_id: str) -> TeamsConversation | None:
    return await session.scalar(
        select(TeamsConversation).where(
            TeamsConversation.org_id == org_id, TeamsConversation.user_id == user_id
        )
    )


async def save_reference(session: AsyncSession, *, org_id: int, ref: Reference, now: datetime) -> None:
    """Insert or refresh a user's reference; a fresh one also clears an earlier 'unreachable'.

    An insert that races another (two first messages at once) updates the winner's row instead.
    """
    values = {
        "tenant_id": ref.tenant_id,
        "service_url": ref.service_url,
        "bot_id": ref.bot_id,
        "unreachable_reason": None,
        "unreachable_at": None,
        "updated_at": now,
    }
    if ref.conversation_id:
        values["conversation_id"] = ref.conversation_id
    if ref.aad_object_id:
        values["aad_object_id"] = ref.aad_object_id
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(TeamsConversation).values(
        org_id=org_id,
        user_id=ref.user_id,
        conversation_id=ref.conversation_id,
        aad_object_id=ref.aad_object_id,
        **{k: v for k, v in values.items() if k not in ("conversation_id", "aad_object_id")},
    )
    await session.execute(statement.on_conflict_do_update(index_elements=["org_id", "user_id"], set_=values))


def is_current(row: TeamsConversation | None, ref: Reference) -> bool:
    """True when the stored row already says everything `ref` says (no write needed)."""
    return (
        row is not None
        and row.unreachable_reason is None
        and (row.tenant_id, row.service_url, row.bot_id) == (ref.tenant_id, ref.service_url, ref.bot_id)
        and (ref.conversation_id is None or row.conversation_id == ref.conversation_id)
        and (ref.aad_object_id is None or row.aad_object_id == ref.aad_object_id)
    )


async def for_person(
    session: AsyncSession, *, org_id: int, person_id: int
) -> tuple[str | None, TeamsConversation | None]:
    """The person's Teams user id (None when they have none) and their stored reference, if any."""
    row = (
        await session.execute(
            select(Identity.platform_user_id, TeamsConversation)
            .outerjoin(
                TeamsConversation,
                (TeamsConversation.org_id == Identity.org_id)
                & (TeamsConversation.user_id == Identity.platform_user_id),
            )
            .where(Identity.org_id == org_id, Identity.person_id == person_id, Identity.platform == PLATFORM)
            .order_by(Identity.id)
            .limit(1)
        )
    ).first()
    return (row[0], row[1]) if row else (None, None)


async def latest_reference(session: AsyncSession, *, org_id: int) -> TeamsConversation | None:
    """The most recently refreshed reference in the organisation: its service URL and bot id serve
    for people who never wrote to Rapport and for channel posts."""
    return await session.scalar(
        select(TeamsConversation)
        .where(TeamsConversation.org_id == org_id)
        .order_by(TeamsConversation.updated_at.desc(), TeamsConversation.id.desc())
        .limit(1)
    )


async def mark_unreachable(
    session: AsyncSession, *, org_id: int, user_id: str, reason: str, now: datetime
) -> None:
    await session.execute(
        update(TeamsConversation)
        .where(TeamsConversation.org_id == org_id, TeamsConversation.user_id == user_id)
        .values(unreachable_reason=reason[:2000], unreachable_at=now)
    )
