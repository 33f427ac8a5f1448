"""Migration 0028 (goals): organisations keep everything, get the default settings, and going back keeps
every row (SQLite drops the columns in place: a table rebuild would cascade)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from store.migrate import differences, downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrating import database_at, organisation

NOW = datetime(2026, 12, 4, 9, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def at_0027(request, tmp_path):
    async with database_at(request.param, "0027", tmp_path) as db:
        yield db


async def test_organisations_get_the_default_goal_settings_and_keep_their_people(at_0027):
    db = at_0027
    async with db.transaction() as session:
        await organisation(session, handles=("alice", "bob"), now=NOW)
    await upgrade(db)
    assert await differences(db) == []
    async with db.read() as session:
        row = (await session.execute(text("SELECT goal_visibility, goal_cycle FROM organisation"))).one()
        assert tuple(row) == ("organisation", "quarter")
    await downgrade(db, "0027")
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM person"))).scalar() == 2
        assert (await session.execute(text("SELECT count(*) FROM organisation"))).scalar() == 1
