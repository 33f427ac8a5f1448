"""Migration 0011 creates exactly the tables slack_sdk's SQLAlchemy stores describe, so the stores can
read and write them without their own `create_tables()`."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, inspect

from adapters.slack.tables import INSTALLATION_TABLES


def stores_metadata(db) -> MetaData:
    """The installation and state stores' own tables, in one MetaData."""
    metadata = MetaData()
    for table in (
        *AsyncSQLAlchemyInstallationStore(client_id="x", engine=db.writer).metadata.tables.values(),
        *AsyncSQLAlchemyOAuthStateStore(expiration_seconds=60, engine=db.writer).metadata.tables.values(),
    ):
        table.to_metadata(metadata)
    return metadata


async def test_migrated_tables_match_the_slack_sdk_stores(db):
    metadata = stores_metadata(db)
    assert set(metadata.tables) == INSTALLATION_TABLES

    def compare(connection) -> tuple[list, dict]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        only_theirs = {
            "include_name": lambda name, type_, parents: type_ != "table" or name in metadata.tables
        }
        context.opts.update(only_theirs)
        inspector = inspect(connection)
        indexes = {name: inspector.get_indexes(name) for name in metadata.tables}
        return compare_metadata(context, metadata), indexes

    async with db.writer.begin() as connection:
        diff, indexes = await connection.run_sync(compare)
    assert diff == []
    assert [i["name"] for i in indexes["slack_installations"]] == ["slack_installations_idx"]
    assert [i["name"] for i in indexes["slack_bots"]] == ["slack_bots_idx"]
