"""Alembic environment. Runs on a connection handed over by `store.migrate` (the normal path), or on
`sqlalchemy.url` from the config when the alembic command line is used directly."""

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

import adapters.platforms  # noqa: F401  (the platforms' own tables join the shared metadata)
from store.migrate import ours
from store.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
elif (shared := config.attributes.get("connection")) is not None:
    _run(shared)
else:
    asyncio.run(_run_from_url(config.get_main_option("sqlalchemy.url")))
