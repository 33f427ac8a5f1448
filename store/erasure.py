"""Erasing a person's personal content from every table, keeping anonymous counts.

`erase` first empties the sent messages that quote the person's words or name, then runs every step of
`store.erasure_tables.ERASERS` (what erasure does to each table that points at a person). Running it
twice changes nothing. Also the retention's emptying of old answers.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.erasure_tables import ERASERS, TOMBSTONE_NAME
from store.feedback_models import Feedback
from store.goal_erasure import words as goal_words
from store.models import Kudos, OutboxMessage, Person


async def words_of(session: AsyncSession, *, org_id: int, person_id: int) -> list[str]:
    """Everything the person wrote that other rows (sent messages) may quote."""
    texts = list(
        await session.scalars(
            select(Kudos.message).where(Kudos.org_id == org_id, Kudos.giver_id == person_id)
        )
    )
    feedback = await session.execute(
        select(Feedback.text, Feedback.reply).where(
            Feedback.org_id == org_id, or_(Feedback.giver_id == person_id, Feedback.recipient_id == person_id)
        )
    )
    for text, reply in feedback:
        texts += [text, reply or ""]
    texts += await session.scalars(
        select(ActionItem.title).where(
            ActionItem.org_id == org_id,
            or_(ActionItem.owner_id == person_id, ActionItem.creator_id == person_id),
        )
    )
    for both in await session.execute(
        select(FormSession.answers, FormSession.finished_answers).where(
            FormSession.org_id == org_id, FormSession.person_id == person_id
        )
    ):
        texts += [v for answers in both for v in (answers or {}).values() if isinstance(v, str)]
    texts += await goal_words(session, org_id=org_id, person_id=person_id)  # goals
    return [t for t in texts if t]


async def erase(session: AsyncSession, *, org_id: int, person_id: int, now: datetime) -> None:
    """Remove the person's words everywhere, then their name; mark the tombstone."""
    quoted = await words_of(session, org_id=org_id, person_id=person_id)
    name = await session.scalar(
        select(Person.display_name).where(Person.org_id == org_id, Person.id == person_id)
    )
    await _scrub_sent_messages(session, org_id=org_id, words=[*quoted, name or ""])
    for eraser in dict.fromkeys(ERASERS.values()):
        await eraser(session, org_id, person_id)
    await session.execute(
        update(Person).where(Person.org_id == org_id, Person.id == person_id).values(erased_at=now)
    )


async def _scrub_sent_messages(session: AsyncSession, *, org_id: int, words: list[str]) -> None:
    """Messages already delivered to others may quote the person: empty those payloads."""
    words = [w for w in words if len(w) >= 3 and w != TOMBSTONE_NAME]
    if not words:
        return
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.payload).where(OutboxMessage.org_id == org_id)
    )
    quoting = [
        row_id for row_id, payload in rows if any(w in json.dumps(payload, ensure_ascii=False) for w in words)
    ]
    if quoting:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(quoting))
            .values(payload={"parts": [], "summary": ""})
        )


async def scrub_answers_before(session: AsyncSession, *, org_id: int, form_key: str, before: datetime) -> int:
    """Empty the answers of `form_key` sessions started before `before` (retention); how many."""
    # JSON has no equality on PostgreSQL, so the non-empty ones are picked here rather than in SQL.
    rows = await session.execute(
        select(FormSession.id, FormSession.answers).where(
            FormSession.org_id == org_id, FormSession.form_key == form_key, FormSession.created_at < before
        )
    )
    ids = [row_id for row_id, answers in rows if answers]
    if ids:
        await session.execute(
            update(FormSession).where(FormSession.id.in_(ids)).values(answers={}, finished_answers=None)
        )
    return len(ids)
