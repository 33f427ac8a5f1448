"""Migration 0029: organisations gain a default time zone (none: UTC, as before), and going back keeps
every row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from store.migrate import differences, downgrade, upgrade
from tests.conftest import BACKENDS
from tests.migrating import database_at, organisation

NOW = datetime(2026, 12, 4, 9, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def at_0028(request, tmp_path):
    async with database_at(request.param, "0028", tmp_path) as db:
        yield db


async def test_organisations_have_no_default_zone_and_keep_their_people(at_0028):
    db = at_0028
    async with db.transaction() as session:
        await organisation(session, handles=("alice", "bob"), now=NOW)
    await upgrade(db)
    assert await differences(db) == []
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT default_timezone FROM organisation"))).scalar() is None
        await session.execute(text("UPDATE organisation SET default_timezone = 'Asia/Shanghai'"))
    await downgrade(db, "0028")
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM person"))).scalar() == 2
        assert (await session.execute(text("SELECT count(*) FROM organisation"))).scalar() == 1
