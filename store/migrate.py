"""Run Alembic migrations programmatically, on the application's own engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

import migrations
from store.db import Database
from store.models import Base


def alembic_config() -> Config:
    """An Alembic config that finds the migrations wherever the package is installed."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


async def upgrade(db: Database, revision: str = "head") -> None:
    """Upgrade the database to `revision` (head by default)."""

    def _upgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with db.writer.begin() as connection:
        await connection.run_sync(_upgrade)


async def differences(db: Database) -> list:
    """What autogenerate would change to make the database match the models (empty when they agree)."""

    def _compare(connection) -> list:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": db.is_sqlite}
        )
        return compare_metadata(context, Base.metadata)

    async with db.writer.begin() as connection:
        return await connection.run_sync(_compare)
