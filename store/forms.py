"""Form sessions and imported form templates. Every query names the organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.checkin_models import FormSession, FormTemplate

# In progress: being answered ("open", one a person at most) or waiting its turn (`bot.forms.queue`).
LIVE = ("open", "waiting")


async def create_session(
    session: AsyncSession,
    *,
    org_id: int,
    person_id: int,
    form_key: str,
    version: int,
    subject: str,
    step: int,
    answers: dict[str, Any],
    expires_at: datetime,
    now: datetime,
    status: str = "waiting",
) -> FormSession:
    """A new session; "waiting" until `bot.forms.queue` gives it its turn (or "open" when the caller
    knows that nothing else is open)."""
    row = FormSession(
        org_id=org_id,
        person_id=person_id,
        form_key=form_key,
        template_version=version,
        subject=subject,
        step=step,
        answers=answers,
        status=status,
        expires_at=expires_at,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def create_sessions(
    session: AsyncSession, *, org_id: int, rows: list[dict[str, Any]]
) -> dict[tuple[int, str], int]:
    """Open many sessions in one batched INSERT; their ids by (person id, subject).

    Each row names person_id, form_key, version, subject, step, answers, status, queued, expires_at
    and now, and may name remind_at; all of one form (a person has one session per form and subject).
    """
    if not rows:
        return {}
    values = [
        {
            "org_id": org_id,
            "person_id": row["person_id"],
            "form_key": row["form_key"],
            "template_version": row["version"],
            "subject": row["subject"],
            "step": row["step"],
            "answers": row["answers"],
            "status": row["status"],
            "queued": row["queued"],
            "expires_at": row["expires_at"],
            "remind_at": row.get("remind_at"),
            "created_at": row["now"],
            "updated_at": row["now"],
        }
        for row in rows
    ]
    # Keyed by what is unique rather than returned in order: ordered RETURNING costs SQLite a
    # statement per row.
    table = FormSession.__table__  # Core, not the ORM's bulk path: a third of the time for many rows
    statement = insert(table).returning(table.c.person_id, table.c.subject, table.c.id)
    return {(person_id, subject): id_ for person_id, subject, id_ in await session.execute(statement, values)}


async def subjects_taken(
    session: AsyncSession, *, org_id: int, form_key: str, wanted: list[tuple[int, str]]
) -> set[tuple[int, str]]:
    """Which of the (person id, subject) pairs already have a session of the form."""
    if not wanted:
        return set()
    rows = await session.execute(
        select(FormSession.person_id, FormSession.subject).where(
            FormSession.org_id == org_id,
            FormSession.form_key == form_key,
            FormSession.person_id.in_({person_id for person_id, _ in wanted}),
            FormSession.subject.in_({subject for _, subject in wanted}),
        )
    )
    return {tuple(row) for row in rows} & set(wanted)


async def by_id(session: AsyncSession, *, org_id: int, session_id: int) -> FormSession | None:
    return await session.scalar(
        select(FormSession).where(FormSession.org_id == org_id, FormSession.id == session_id)
    )


async def by_subject(
    session: AsyncSession, *, org_id: int, person_id: int, form_key: str, subject: str
) -> FormSession | None:
    return await session.scalar(
        select(FormSession).where(
            FormSession.org_id == org_id,
            FormSession.person_id == person_id,
            FormSession.form_key == form_key,
            FormSession.subject == subject,
        )
    )


async def live_for(session: AsyncSession, *, org_id: int, person_id: int) -> list[FormSession]:
    """The person's sessions in progress (expired or not: the caller decides): the open one first,
    then those waiting, the one waiting longest first (since it last came due or was set aside)."""
    rows = await session.scalars(_LIVE_FOR, {"org_id": org_id, "person_id": person_id})
    return sorted(rows, key=lambda row: row.status != "open")  # stable: the waiting keep their order


# Built once: every DM line asks it before its acknowledgement, and building the statement
# (0.1 ms) cost more than running it.
_LIVE_FOR = (
    select(FormSession)
    .where(
        FormSession.org_id == bindparam("org_id"),
        FormSession.person_id == bindparam("person_id"),
        FormSession.status.in_(LIVE),
    )
    .order_by(FormSession.queued, FormSession.id)
)


async def live_among(
    session: AsyncSession, *, org_id: int, person_ids: list[int]
) -> dict[int, list[tuple[int, str, datetime, int]]]:
    """For many people at once: each one's sessions in progress as (id, status, expires_at, queued),
    by person id (people with none are left out)."""
    if not person_ids:
        return {}
    columns = (FormSession.id, FormSession.status, FormSession.expires_at, FormSession.queued)
    rows = await session.execute(
        select(FormSession.person_id, *columns).where(
            FormSession.org_id == org_id,
            FormSession.person_id.in_(set(person_ids)),
            FormSession.status.in_(LIVE),
        )
    )
    found: dict[int, list[tuple[int, str, datetime, int]]] = {}
    for person_id, *live in rows:
        found.setdefault(person_id, []).append(tuple(live))
    return found


async def expire_many(session: AsyncSession, *, org_id: int, ids: list[int], now: datetime) -> None:
    """Mark sessions expired in one statement (their window closed while nobody answered)."""
    if ids:
        await session.execute(
            update(FormSession)
            .where(FormSession.org_id == org_id, FormSession.id.in_(ids))
            .values(status="expired", updated_at=now)
            .execution_options(synchronize_session=False)
        )


async def finished(
    session: AsyncSession, *, org_id: int, person_id: int, form_key: str, limit: int = 10
) -> list[FormSession]:
    """The person's completed sessions of one form, newest first."""
    return list(
        await session.scalars(
            select(FormSession)
            .where(
                FormSession.org_id == org_id,
                FormSession.person_id == person_id,
                FormSession.form_key == form_key,
                FormSession.completed_at.is_not(None),
            )
            .order_by(FormSession.completed_at.desc(), FormSession.id.desc())
            .limit(limit)
        )
    )


def save(row: FormSession, *, step: int, answers: dict[str, Any], status: str, now: datetime) -> None:
    """Record a step's result on the loaded row; the transaction writes it.

    A change to a finished form that ends unfinished (cancelled, or the form closing) leaves the form
    finished, with its answers as they were: only finishing the change replaces them."""
    if status in ("cancelled", "expired") and editing(row):
        answers, status, now_done = dict(row.finished_answers or {}), "done", row.completed_at
    else:
        now_done = now
    row.step = step
    row.answers = answers
    row.status = status
    row.updated_at = now
    if status == "done":
        row.completed_at, row.finished_answers = now_done, None


def editing(row: FormSession) -> bool:
    """Whether the session is a finished form opened again to change it."""
    return row.finished_answers is not None


async def latest_template(session: AsyncSession, *, org_id: int, key: str) -> FormTemplate | None:
    return await session.scalar(
        select(FormTemplate)
        .where(FormTemplate.org_id == org_id, FormTemplate.key == key)
        .order_by(FormTemplate.version.desc())
        .limit(1)
    )


async def template(session: AsyncSession, *, org_id: int, key: str, version: int) -> FormTemplate | None:
    return await session.scalar(
        select(FormTemplate).where(
            FormTemplate.org_id == org_id, FormTemplate.key == key, FormTemplate.version == version
        )
    )


async def add_template(
    session: AsyncSession, *, org_id: int, key: str, definition: dict[str, Any], now: datetime
) -> FormTemplate:
    """Store a new version of an organisation's form (1 for the first; 0 is the built-in one)."""
    latest = await session.scalar(
        select(func.max(FormTemplate.version)).where(FormTemplate.org_id == org_id, FormTemplate.key == key)
    )
    row = FormTemplate(
        org_id=org_id, key=key, version=(latest or 0) + 1, definition=definition, created_at=now
    )
    session.add(row)
    await session.flush()
    return row


async def latest_live(
    session: AsyncSession, *, org_id: int, person_id: int, form_key: str, now: datetime
) -> FormSession | None:
    """The person's newest session of a form that still takes answers (in progress, done or
    cancelled)."""
    return await session.scalar(
        select(FormSession)
        .where(
            FormSession.org_id == org_id,
            FormSession.person_id == person_id,
            FormSession.form_key == form_key,
            FormSession.status.in_((*LIVE, "done", "cancelled")),
            FormSession.expires_at > now,
        )
        .order_by(FormSession.created_at.desc(), FormSession.id.desc())
        .limit(1)
    )
