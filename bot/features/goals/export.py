"""The goals part of `/rapport export` (`bot.features.privacy.export`): the person's own objectives with their key
results and every update (confidence and notes included: they are the owner's), and their development
plan. Goals they set for someone else are that person's, as an action is its owner's. The monthly goal
conversations they were offered as a manager, or that were offered about them, are theirs too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store import goal_conversations, goals
from store.models import Person

ALL_STATUSES = ("draft", "open", "done", "dropped")


def _at(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


async def gather(
    session: AsyncSession, *, org_id: int, person: Person, names: dict[int, str]
) -> dict[str, Any]:
    objectives = await goals.objectives(session, org_id=org_id, owner_ids=[person.id], statuses=ALL_STATUSES)
    results = await goals.key_results(session, org_id=org_id, objective_ids=[o.id for o in objectives])
    updates = await goals.updates(session, org_id=org_id, key_result_ids=[kr.id for kr in results])
    developing = await goals.development_goals(
        session, org_id=org_id, person_ids=[person.id], statuses=("open", "done", "dropped")
    )
    talks = await goal_conversations.of_person(session, org_id=org_id, person_id=person.id)
    return {
        "goal_conversations": [
            {
                "month": c.month,
                "role": "manager" if c.manager_id == person.id else "report",
                "with": names.get(c.report_id if c.manager_id == person.id else c.manager_id),
                "offered_at": _at(c.sent_at),
                "held_at": _at(c.held_at),
            }
            for c in talks
        ],
        "goals": [
            {
                "number": o.id,
                "title": o.title,
                "level": o.level,
                "status": o.status,
                "set_by": names.get(o.creator_id),
                "cycle": [_at(o.cycle_start), _at(o.cycle_end)],
                "due_on": _at(o.due_on),
                "status_by_hand": o.override and {"status": o.override, "reason": o.override_reason},
                "drop_reason": o.drop_reason,
                "key_results": [_key_result(kr, updates, names) for kr in results if kr.objective_id == o.id],
            }
            for o in objectives
        ],
        "development_goals": [
            {
                "skill": d.skill,
                "activity": d.activity,
                "support": d.support,
                "due_on": _at(d.due_on),
                "status": d.status,
                "set_by": names.get(d.creator_id),
            }
            for d in developing
        ],
    }


def _key_result(kr, updates, names: dict[int, str]) -> dict[str, Any]:
    return {
        "title": kr.title,
        "kind": kr.kind,
        "start": kr.start_value,
        "target": kr.target_value,
        "current": kr.current_value,
        "unit": kr.unit,
        "confidence": kr.confidence,
        "status": kr.status,
        "updates": [
            {
                "at": _at(u.created_at),
                "value": u.value,
                "confidence": u.confidence,
                "note": u.note,
                "done": u.done,
                "by": names.get(u.actor_id),
            }
            for u in updates
            if u.key_result_id == kr.id
        ],
    }
