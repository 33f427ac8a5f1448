"""Migration 0024: of the forms open today, each person keeps the one touched last open and the
others wait their turn; going back opens them all again, as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from store.checkin_models import FormSession
from store.migrate import differences, downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrating import database_at, organisation

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def at_0023(request, tmp_path):
    async with database_at(request.param, "0023", tmp_path) as db:
        yield db


async def test_migration_0024_leaves_one_open_form_a_person_and_goes_back(at_0023):
    db = at_0023
    async with db.transaction() as session:
        org_id, (p1, p2) = await organisation(session, handles=("p1", "p2"), now=NOW)
        # subject, person, status, hours ago it was last touched
        for subject, person, status, ago in (
            ("pulse", p1, "open", 1),
            ("checkin", p1, "open", 3),
            ("self", p1, "open", 2),
            ("old", p1, "done", 0),
            ("checkin", p2, "open", 5),
        ):
            await session.execute(
                text(
                    "INSERT INTO form_session (org_id, person_id, form_key, template_version, subject, step,"
                    " answers, status, expires_at, created_at, updated_at)"
                    " VALUES (:o, :p, 'checkin', 0, :s, 0, '{}', :status, :e, :c, :u)"
                ),
                {
                    "o": org_id,
                    "p": person,
                    "s": subject,
                    "status": status,
                    "e": NOW + timedelta(days=1),
                    "c": NOW - timedelta(days=1),
                    "u": NOW - timedelta(hours=ago),
                },
            )

    async def statuses() -> dict[tuple[int, str], str]:
        async with db.read() as session:
            rows = await session.execute(
                select(FormSession.person_id, FormSession.subject, FormSession.status)
            )
            return {(person, subject): status for person, subject, status in rows}

    await upgrade(db, "0024")
    assert await statuses() == {
        (p1, "pulse"): "open",  # touched last
        (p1, "checkin"): "waiting",
        (p1, "self"): "waiting",
        (p1, "old"): "done",
        (p2, "checkin"): "open",
    }
    await upgrade(db)
    assert await differences(db) == []
    await downgrade(db, "0023")
    async with db.read() as session:
        rows = await session.execute(text("SELECT status FROM form_session ORDER BY id"))
        assert [status for (status,) in rows] == ["open", "open", "open", "done", "open"]
