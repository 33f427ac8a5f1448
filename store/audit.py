"""The audit trail. Every query names the organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Person
from store.privacy_models import AuditEntry


async def record(
    session: AsyncSession,
    *,
    org_id: int,
    action: str,
    now: datetime,
    actor_id: int | None = None,
    actor_label: str,
    subject_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            org_id=org_id,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            subject_id=subject_id,
            detail=detail or {},
            created_at=now,
        )
    )


async def entries(
    session: AsyncSession, *, org_id: int, limit: int = 100
) -> list[tuple[AuditEntry, str | None]]:
    """The newest entries first, each with the subject's current name (None once erased or gone)."""
    rows = await session.execute(
        select(AuditEntry, Person.display_name)
        .outerjoin(Person, Person.id == AuditEntry.subject_id)
        .where(AuditEntry.org_id == org_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return [(entry, name) for entry, name in rows]
