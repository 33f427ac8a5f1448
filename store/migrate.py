"""Run Alembic migrations programmatically, on the application's own engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import migrations
from store.db import Database
from store.schema import Base


def ours(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether autogenerate compares this object: not the tables a platform's library owns (migrated
    by us, described by it), which the platform names in `Base.metadata.info["foreign_tables"]`."""
    return not (type_ == "table" and name in Base.metadata.info.get("foreign_tables", ()))


def alembic_config() -> Config:
    """An Alembic config that finds the migrations wherever the package is installed."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


async def upgrade(db: Database, revision: str = "head") -> None:
    """Upgrade the database to `revision` (head by default)."""
    await _run(db, command.upgrade, revision)


async def downgrade(db: Database, revision: str) -> None:
    """Take the database back to `revision`."""
    await _run(db, command.downgrade, revision)


async def _run(db: Database, step, revision: str) -> None:
    def run(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)

    async with db.writer.begin() as connection:
        await connection.run_sync(run)


async def differences(db: Database) -> list:
    """What autogenerate would change to make the database match the models (empty when they agree)."""

    def _compare(connection) -> list:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": db.is_sqlite, "include_name": ours},
        )
        return compare_metadata(context, Base.metadata)

    async with db.writer.begin() as connection:
        return await connection.run_sync(_compare)


async def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""

    def _current(connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.reader.connect() as connection:
        return await connection.run_sync(_current)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
