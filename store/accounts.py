"""Platforms' own tables keyed by a platform account: found through the shared metadata, not by name.

A platform declares such a table (a profile marker, a conversation reference) with
`info={"platform_account": "<platform>"}` and columns `org_id` and `user_id`; optionally
`"export": {"key in the export": "column", ...}` (else every column but the keys). Erasure deletes a
person's rows with their identities, and their export shows them with their accounts, whatever the
platform, without this floor naming one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Base, Identity

V = TypeVar("V")
_KEYS = ("id", "org_id", "user_id")


def account_tables() -> list[Table]:
    """Every table a platform keys by its user id, as registered so far."""
    return [t for t in Base.metadata.sorted_tables if "platform_account" in t.info]


def _user_ids(table: Table, *, org_id: int, person_id: int):
    return select(Identity.platform_user_id).where(
        Identity.org_id == org_id,
        Identity.person_id == person_id,
        Identity.platform == table.info["platform_account"],
    )


async def erase_accounts(session: AsyncSession, table: Table, org_id: int, person_id: int) -> None:
    """Delete the person's rows: found through their identities, so this runs before those go."""
    mine = _user_ids(table, org_id=org_id, person_id=person_id)
    await session.execute(delete(table).where(table.c.org_id == org_id, table.c.user_id.in_(mine)))


async def account_details(session: AsyncSession, *, org_id: int, person_id: int) -> list[dict[str, Any]]:
    """What each platform's own tables keep about the person's accounts, one dict a row, each with
    its "platform" and "user_id"."""
    details: list[dict[str, Any]] = []
    for table in account_tables():
        mine = _user_ids(table, org_id=org_id, person_id=person_id)
        shown = table.info.get("export") or {c.name: c.name for c in table.columns if c.name not in _KEYS}
        rows = await session.execute(
            select(table).where(table.c.org_id == org_id, table.c.user_id.in_(mine)).order_by(table.c.user_id)
        )
        for row in rows.mappings():
            fields = {key: row[column] for key, column in shown.items()}
            details.append({"platform": table.info["platform_account"], "user_id": row["user_id"], **fields})
    return details


class WithAccountTables(Mapping[str, V]):
    """A registry by table name (`ERASERS`, `EXPORTED`): its fixed entries, and one for each platform
    account table registered when it is read, first (they are found through identities)."""

    def __init__(self, fixed: Mapping[str, V], *, for_account: Callable[[Table], V]) -> None:
        self._fixed = dict(fixed)
        self._for_account = for_account

    def _all(self) -> dict[str, V]:
        return {**{t.name: self._for_account(t) for t in account_tables()}, **self._fixed}

    def __getitem__(self, name: str) -> V:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class TableNames(Sequence[str]):
    """The names of a registry's tables (not its steps, which have a dot), read when used."""

    def __init__(self, registry: Mapping[str, Any]) -> None:
        self._registry = registry

    def _names(self) -> tuple[str, ...]:
        return tuple(name for name in self._registry if "." not in name)

    def __getitem__(self, index):  # type: ignore[override]
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())
