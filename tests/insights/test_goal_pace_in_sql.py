"""The HR figures judge the pace of key results in the database (`store.insights_goals`); every key
result here is judged there and by `bot.goal_pace.kr_status` itself, and the two must agree: late-set
objectives (set at 23:30 UTC), due dates passed or to come, one-day cycles, start equal to target,
decreasing targets, milestones and values a hair either side of exactly on pace."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

from bot import goal_pace
from bot.insights.goal_figures import PACE
from store import insights_goals, orgs, people
from store.goal_models import KeyResult, Objective

TODAY = date(2027, 2, 14)
CYCLES = ((date(2027, 1, 1), date(2027, 3, 31)), (date(2027, 1, 1), date(2027, 12, 31)), (TODAY, TODAY))


def _cases(rng: random.Random) -> list[dict]:
    cases = []
    for i in range(300):
        first, last = rng.choice(CYCLES)
        created = rng.choice(
            (first - timedelta(days=20), first, TODAY - timedelta(days=rng.randint(0, 40)), TODAY)
        )
        created = max(min(created, TODAY), first - timedelta(days=20))
        due = rng.choice((None, None, TODAY - timedelta(days=3), created, last))
        objective = dict(
            cycle_start=first,
            cycle_end=last,
            due_on=due,
            created_at=datetime.combine(created, time(23, 30), tzinfo=UTC),
        )
        read = SimpleNamespace(
            **objective, kind="number", status="open", start_value=0.0, target_value=0.0, current_value=0.0
        )
        share = goal_pace.share(read, TODAY)
        start = rng.choice((0.0, 100.0, 8.0))
        target = rng.choice((start, 40.0, 3.0, 200.0))
        wiggle = rng.choice((-1e-8, -1e-12, 0.0, 1e-12, 1e-8, -0.2, 0.3))
        current = start + (target - start) * goal_pace.ON_TRACK_SHARE * share * (1 + wiggle)
        kind = "milestone" if i % 5 == 0 else "number"
        status = rng.choice(("open", "open", "done"))
        cases.append(
            {
                "objective": objective,
                "kind": kind,
                "status": status,
                "start_value": start,
                "target_value": target,
                "current_value": current,
            }
        )
    return cases


async def test_the_database_judges_every_key_result_as_the_pace_rule_does(db):
    rng = random.Random(18)
    cases = _cases(rng)
    now = datetime.combine(TODAY, time(8), tzinfo=UTC)
    async with db.transaction() as session:
        org = await orgs.create(session, slug="pace", name="Pace", now=now)
        for i, case in enumerate(cases):
            owner = await people.create(session, org_id=org.id, display_name=f"P{i}", now=now)
            owner.department = f"d{i}"
            objective = Objective(
                org_id=org.id,
                owner_id=owner.id,
                creator_id=owner.id,
                level="person",
                title="t",
                status="open",
                source="command",
                updated_at=now,
                **case["objective"],
            )
            session.add(objective)
            await session.flush()
            values = {k: case[k] for k in ("kind", "status", "start_value", "target_value", "current_value")}
            session.add(
                KeyResult(
                    org_id=org.id,
                    objective_id=objective.id,
                    position=1,
                    title="t",
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
    async with db.read() as session:
        found = await insights_goals.key_results(session, org_id=org.id, today=TODAY, since=now, pace=PACE)
    judged = {part[0]: counts.on_track for part, counts in found.items()}
    wanted = {}
    for i, case in enumerate(cases):
        read = SimpleNamespace(**case["objective"], **{k: v for k, v in case.items() if k != "objective"})
        wanted[f"d{i}"] = int(goal_pace.kr_status(read, read, TODAY) == goal_pace.ON_TRACK)
    assert judged == wanted
    assert 0 < sum(wanted.values()) < len(cases)  # both answers are given
