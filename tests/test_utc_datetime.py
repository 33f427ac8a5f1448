"""Timestamps on SQLite: written as the same text SQLAlchemy's DATETIME wrote before (so rows written
before and after compare and sort together), read back aware and in UTC; naive ones refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text
from sqlalchemy.dialects import sqlite

from store.db import Database
from store.types import UTCDateTime

MOMENTS = [
    datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
    datetime(
        2026, 3, 29, 3, 30, 0, 1, tzinfo=ZoneInfo("Europe/Berlin")
    ),  # just after the clocks went forward
    datetime(999, 1, 2, 3, 4, 5, 123456, tzinfo=timezone(timedelta(hours=-5))),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_text_on_sqlite_is_sqlalchemys_datetime_format(moment):
    dialect = sqlite.dialect()
    ours = UTCDateTime().bind_processor(dialect)(moment)
    theirs = sqlite.DATETIME().bind_processor(dialect)(moment.astimezone(UTC).replace(tzinfo=None))
    assert ours == theirs


async def test_timestamps_round_trip_through_sqlite_aware_and_in_utc(tmp_path):
    db = Database(url=f"sqlite+aiosqlite:///{tmp_path / 'times.db'}")
    table = Table("moments", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    async with db.transaction() as session:
        await session.run_sync(lambda s: table.create(s.connection()))
        await session.execute(insert(table), [{"at": m} for m in MOMENTS])
    async with db.read() as session:
        back = list(await session.scalars(select(table.c.at).order_by(table.c.id)))
        raw = list(await session.scalars(text("SELECT at FROM moments ORDER BY at")))
    assert back == MOMENTS and all(m.tzinfo is UTC for m in back)
    assert raw[0].startswith("0999-01-02 08:04:05.123456")
    await db.dispose()


def test_a_naive_timestamp_is_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().bind_processor(sqlite.dialect())(datetime(2026, 1, 1))


async def test_text_written_by_hand_with_or_without_seconds_or_an_offset_reads_as_utc(tmp_path):
    db = Database(url=f"sqlite+aiosqlite:///{tmp_path / 'by_hand.db'}")
    table = Table("moments", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    async with db.transaction() as session:
        await session.run_sync(lambda s: table.create(s.connection()))
        for raw in ("2026-11-24 09:00:00", "2026-11-24 09:00", "2026-11-24T10:00:00+01:00", None):
            await session.execute(text("INSERT INTO moments (at) VALUES (:at)"), {"at": raw})
    async with db.read() as session:
        back = list(await session.scalars(select(table.c.at).order_by(table.c.id)))
    await db.dispose()
    nine = datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert back == [nine, nine, nine, None]
    assert all(m.tzinfo is UTC for m in back[:3])
