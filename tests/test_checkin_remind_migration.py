"""Migration 0032: a check-in keeps when its reminder is due (`remind_at`), from the first reminder
scheduled for it; other forms and check-ins without a reminder have none; going back keeps every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from store.checkin_models import DueWork, FormSession
from store.migrate import differences, downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrating import database_at, organisation

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
SESSION_COLUMNS = ("org_id", "person_id", "form_key", "template_version", "subject", "step", "answers")


@pytest.fixture(params=BACKENDS)
async def at_0031(request, tmp_path):
    async with database_at(request.param, "0031", tmp_path) as db:
        yield db


async def _session(session, org_id: int, person_id: int, form_key: str, subject: str) -> int:
    values = dict(zip(SESSION_COLUMNS, (org_id, person_id, form_key, 0, subject, 0, {}), strict=True))
    values |= {"status": "done", "expires_at": NOW, "created_at": NOW, "updated_at": NOW}
    table = FormSession.__table__  # the columns 0031 has: not the model's remind_at
    return await session.scalar(insert(table).values(values).returning(table.c.id))


async def _reminder(session, org_id: int, subject: int, run_at: datetime, kind="checkin.reminder") -> None:
    await session.execute(
        insert(DueWork.__table__).values(
            org_id=org_id, kind=kind, subject=subject, run_at=run_at, status="done", attempts=1,
            next_attempt_at=run_at, created_at=NOW,
        )
    )  # fmt: skip


async def test_each_check_in_takes_its_first_reminder_and_going_back_keeps_every_row(at_0031):
    db = at_0031
    async with db.transaction() as session:
        org_id, (alice,) = await organisation(session, handles=("alice",), now=NOW)
        reminded = await _session(session, org_id, alice, "checkin", "2026-11-24")
        await _reminder(session, org_id, reminded, NOW + timedelta(days=2))
        await _reminder(session, org_id, reminded, NOW + timedelta(days=1))  # moved earlier: the first
        unreminded = await _session(session, org_id, alice, "checkin", "2026-12-01")
        review = await _session(session, org_id, alice, "self_review", "review:1")
        await _reminder(session, org_id, review, NOW + timedelta(days=1), kind="self_review.reminder")
    await upgrade(db)
    assert await differences(db) == []
    async with db.read() as session:
        found = dict((await session.execute(select(FormSession.id, FormSession.remind_at))).all())
    assert found == {reminded: NOW + timedelta(days=1), unreminded: None, review: None}

    await downgrade(db, "0031")
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(FormSession.__table__.alias())) == 3
