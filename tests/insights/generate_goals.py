"""The generated organisation's goals and monthly goal conversations, noted in the ledger."""

from __future__ import annotations

from datetime import date, timedelta

from store.goal_models import GoalConversation, GoalUpdate, KeyResult, Objective
from tests.insights import generate as base  # a cycle: read at call time, not import time

Q3, Q4 = (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))
MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11")
WITHOUT = ("h4", "s3")  # no goals this quarter (some of an earlier one, or drafts, perhaps)


async def goals(session, rng, ledger, org_id, now) -> None:
    """Objectives of this quarter and the last (open, done, draft, dropped), with their key results
    (numbers on and off pace, milestones, dropped ones) and their last update, if any. Everyone but
    WITHOUT has an open objective of this quarter with an open key result, as in a team that uses OKRs."""
    for person in ledger.people.values():
        extra = rng.choice((0, 1, 1, 2))
        for number in range(extra if person.handle in WITHOUT else extra + 1):
            sure = number == 0 and person.handle not in WITHOUT
            cycle = Q4 if sure or rng.random() < 0.8 else Q3
            created = base.at(cycle[0] + timedelta(days=rng.randint(0, 50)), 9)
            objective = Objective(
                org_id=org_id,
                owner_id=person.id,
                creator_id=person.id,
                level="person",
                title="private words",
                cycle_start=cycle[0],
                cycle_end=cycle[1],
                status="open" if sure else rng.choice(("open", "done", "draft", "dropped")),
                source="command",
                created_at=created,
                updated_at=created,
            )
            session.add(objective)
            await session.flush()
            fact = {"owner": person, "objective": objective, "results": []}
            for position in range(1, rng.randint(1, 4) + 1):
                await _key_result(
                    session, rng, org_id, objective, position, fact, now, sure=sure and position == 1
                )
            ledger.goals.append(fact)


async def _key_result(session, rng, org_id, objective, position, fact, now, *, sure: bool) -> None:
    milestone = rng.random() < 0.3
    result = KeyResult(
        org_id=org_id,
        objective_id=objective.id,
        position=position,
        title="private words",
        kind="milestone" if milestone else "number",
        start_value=0.0 if milestone else 100.0,
        target_value=1.0 if milestone else rng.choice((0.0, 200.0)),  # decreasing targets too
        current_value=0.0,
        status="open" if sure else rng.choice(("open", "done", "dropped")),
        created_at=objective.created_at,
        updated_at=objective.created_at,
    )
    if not milestone:
        result.current_value = 100.0 + (result.target_value - 100.0) * rng.random()
    session.add(result)
    await session.flush()
    updated = None
    if rng.random() < 0.6:
        updated = max(objective.created_at, now - timedelta(days=rng.randint(0, 30), hours=1))
        session.add(
            GoalUpdate(
                org_id=org_id,
                key_result_id=result.id,
                actor_id=fact["owner"].id,
                value=result.current_value,
                note="private words",
                done=result.status == "done",
                created_at=updated,
            )
        )
    fact["results"].append({"result": result, "updated": updated})


def talks(session, rng, ledger, org_id) -> None:
    """Monthly goal conversations offered to managers about their reports, some held."""
    for person in ledger.people.values():
        if person.manager_id is None:
            continue
        for month in MONTHS:
            if rng.random() < 0.7:
                offered = base.at(date.fromisoformat(f"{month}-01"), 10)
                held = offered + timedelta(days=3) if rng.random() < 0.5 else None
                session.add(
                    GoalConversation(
                        org_id=org_id,
                        manager_id=person.manager_id,
                        report_id=person.id,
                        month=month,
                        sent_at=offered,
                        held_at=held,
                    )
                )
                ledger.talks.append({"report": person, "month": month, "held": held is not None})
