"""The post-review pulse under the closed-batch rule (`bot.anonymity.batches`).

Each answer is stored without the employee or the meeting and held; once at least the threshold of
a manager's answers are held, they are released together. `/review pulse` and HR figures read
released answers only, so a figure about a manager changes by at least the threshold of answers at
once, never by one.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.anonymity import batches, threshold_of
from store import review_records
from store.models import Organisation


async def record_answer(
    session: AsyncSession,
    *,
    org: Organisation,
    manager_id: int,
    room_to_speak: bool,
    next_steps: bool,
    useful: int,
    week: str,
) -> None:
    """Keep one anonymous answer, held; release the manager's held answers when there are enough."""
    await review_records.add_pulse(
        session,
        org_id=org.id,
        manager_id=manager_id,
        room_to_speak=room_to_speak,
        next_steps=next_steps,
        useful=useful,
        week=week,
    )
    held = await review_records.held_pulse(session, org_id=org.id, manager_id=manager_id)
    if batches.ready(len(held), threshold=threshold_of(org)):
        await review_records.release_pulse(session, org_id=org.id, manager_id=manager_id, ids=held, week=week)
