"""The migration that gives every outbox message an expiry and a lease holder, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import insert, select, text

from store.migrate import alembic_config, differences, downgrade, upgrade
from store.models import Organisation, OutboxMessage
from tests.conftest import BACKENDS
from tests.migrating import database_at

REVISION = "0025"
BEFORE = ScriptDirectory.from_config(alembic_config()).get_revision(REVISION).down_revision


@pytest.fixture(params=BACKENDS)
async def before(request, tmp_path):
    """A database migrated to the revision before this one, on each backend."""
    async with database_at(request.param, BEFORE, tmp_path) as db:
        yield db


async def test_queued_messages_are_worth_a_day_and_a_dropped_one_goes_back_as_failed(before):
    db = before
    queued = [datetime(2026, 11, 24, 9, tzinfo=UTC), datetime(2026, 11, 24, 23, 30, 15, 250000, tzinfo=UTC)]
    async with db.transaction() as session:
        org_id = await session.scalar(
            insert(Organisation)
            .values(slug="acme", name="Acme", default_locale="en", company_values=[], created_at=queued[0])
            .returning(Organisation.id)
        )
        await session.execute(
            text(
                "INSERT INTO outbox_message (org_id, kind, platform, channel_id, payload, status, attempts,"
                " next_attempt_at, created_at) VALUES (:org, 'channel', 'slack', 'C1', '{}', 'pending', 0,"
                " :at, :at)"
            ),
            [{"org": org_id, "at": at.replace(tzinfo=None) if db.is_sqlite else at} for at in queued],
        )

    await upgrade(db, REVISION)
    # the outbox as this revision leaves it is the model's (later revisions change other tables)
    assert [d for d in await differences(db) if "outbox_message" in repr(d)] == []
    async with db.read() as session:
        rows = (await session.execute(select(OutboxMessage.created_at, OutboxMessage.expires_at))).all()
    assert [expires - created for created, expires in rows] == [timedelta(hours=24)] * 2

    async with db.transaction() as session:
        await session.execute(text("UPDATE outbox_message SET status = 'dropped'"))

    await downgrade(db, BEFORE)
    async with db.read() as session:
        statuses = (await session.execute(text("SELECT status FROM outbox_message"))).scalars().all()
    assert statuses == ["failed", "failed"]
