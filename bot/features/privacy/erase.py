"""Erasure of a person (an administrator's act) and the retention of check-in answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.checkins import cycle
from store import audit, erasure, people, schedules


async def erase_person(
    session: AsyncSession, *, org_id: int, person_id: int, now: datetime, actor_label: str
) -> bool:
    """Remove the person's personal content everywhere, keeping anonymous counts; audited.

    Returns False when they were erased already (nothing changes the second time).
    """
    person = await people.by_id(session, org_id=org_id, person_id=person_id)
    if person is None or person.erased_at is not None:
        return False
    await schedules.cancel_pending(session, org_id=org_id, kind=cycle.PROMPT, subject=person_id, now=now)
    await erasure.erase(session, org_id=org_id, person_id=person_id, now=now)
    await audit.record(
        session, org_id=org_id, action="erasure", now=now, actor_label=actor_label, subject_id=person_id
    )
    return True
