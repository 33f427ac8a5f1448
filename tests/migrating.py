"""A database at an older revision, to test a migration's data on both backends."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from store import directory
from store.db import Database
from store.migrate import upgrade
from store.models import Organisation
from tests.conftest import POSTGRES_URL


@asynccontextmanager
async def database_at(backend: str, revision: str, folder: Path) -> AsyncIterator[Database]:
    """A database migrated to `revision` only (on PostgreSQL, in a schema of its own)."""
    if backend == "sqlite":
        db = Database(url=f"sqlite+aiosqlite:///{folder / f'at_{revision}.db'}")
        await upgrade(db, revision)
        try:
            yield db
        finally:
            await db.dispose()
        return
    schema = f"rapport_{revision}_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(url=POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(db, revision)
        yield db
    finally:
        await db.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def organisation(
    session: AsyncSession, *, handles: tuple[str, ...], now: datetime
) -> tuple[int, list[int]]:
    """An organisation written as any revision has it, with people by handle: its id and theirs."""
    org_id = await session.scalar(
        insert(Organisation)
        .values(slug="acme", name="Acme", default_locale="en", company_values=[], created_at=now)
        .returning(Organisation.id)
    )
    people_ = [{"email": f"{h}@acme.example", "display_name": h, "handle": h} for h in handles]
    ids = await directory.insert_many(session, org_id=org_id, people=people_, now=now)
    return org_id, [ids[f"{h}@acme.example"] for h in handles]
