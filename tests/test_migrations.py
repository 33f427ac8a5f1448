"""The Alembic migrations and the models describe the same schema."""

from __future__ import annotations

from store.migrate import current_revision, differences, head_revision, upgrade


async def test_models_and_migrations_agree(db):
    assert await differences(db) == []


async def test_database_is_at_head_and_upgrading_again_changes_nothing(db):
    assert await current_revision(db) == head_revision()
    await upgrade(db)
    assert await current_revision(db) == head_revision()
    assert await differences(db) == []
