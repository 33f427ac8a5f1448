"""The check-in tables: the migrations build exactly what the models describe."""

from __future__ import annotations

from store.migrate import differences


async def test_migrations_match_the_models(db):
    assert await differences(db) == []
