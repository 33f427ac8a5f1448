"""`rapport goals export`: the open objectives and their key results, as rows `rapport goals import`
reads back (`bot.features.goals.importing` says what the columns hold)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.goals.common import number
from bot.features.goals.importing import COLUMNS
from store import goals, people


async def export_rows(session: AsyncSession, *, org_id: int) -> list[dict[str, str]]:
    """Every open objective and its key results, as rows an import reads back."""
    objectives = await goals.objectives(session, org_id=org_id, statuses=("open",))
    emails = {p.id: p.email or "" for p in await people.all_in_org(session, org_id=org_id)}
    results = await goals.key_results(session, org_id=org_id, objective_ids=[o.id for o in objectives])
    rows = []
    for o in objectives:
        parent = f"#{o.parent_id}" if o.parent_id else ""
        rows.append(
            _row(
                "objective",
                f"#{o.id}",
                owner=emails.get(o.owner_id, ""),
                level=o.level,
                title=o.title,
                under=parent,
                due=o.due_on.isoformat() if o.due_on else "",
            )
        )
        for kr in results:
            if kr.objective_id != o.id or kr.status == "dropped":
                continue
            numeric = kr.kind == "number"
            rows.append(
                _row(
                    "key result",
                    f"#{o.id}",
                    title=kr.title,
                    start=number(kr.start_value).replace(",", "") if numeric else "",
                    target=number(kr.target_value).replace(",", "") if numeric else "",
                    unit=kr.unit or "",
                    current=number(kr.current_value).replace(",", "") if numeric else "",
                )
            )
    return rows


def _row(kind: str, ref: str, **values: str) -> dict[str, str]:
    return {name: "" for name in COLUMNS} | {"kind": kind, "ref": ref} | values
