"""The goal figures expected from the generator's ledger, in plain Python (the pace rule itself is
`bot.goal_pace`'s, unit-tested on its own in tests/goals/test_pace.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from types import SimpleNamespace

from bot import goal_pace
from tests.insights.generate import Ledger, at

COUNTED = ("open", "done")


def goals(ledger: Ledger, group, today: date, period: tuple[date, date]) -> dict:
    """{group: counts}: the cycle's readings when the period holds today, the conversations offered
    in the period's months; with the people behind each ("people", "owners", "reports")."""
    out: dict = defaultdict(lambda: defaultdict(int))
    behind: dict = defaultdict(lambda: defaultdict(set))
    if period[0] <= today < period[1]:
        _cycle(ledger, group, today, out, behind)
    for talk in ledger.talks:
        if period[0] <= date.fromisoformat(f"{talk['month']}-01") < period[1]:
            key = group(talk["report"])
            out[key]["talks_offered"] += 1
            out[key]["talks_held"] += int(talk["held"])
            behind[key]["reports"].add(talk["report"].id)
    return {k: {**v, **{name: len(ids) for name, ids in behind[k].items()}} for k, v in out.items()}


def _cycle(ledger: Ledger, group, today: date, out, behind) -> None:
    current = [
        g
        for g in ledger.goals
        if g["objective"].status in COUNTED
        and g["objective"].cycle_start <= today <= g["objective"].cycle_end
    ]
    owners = {g["owner"].id for g in current}
    for person in ledger.people.values():
        out[group(person)]["people"] += 1
        out[group(person)]["with_goals"] += int(person.id in owners)
        behind[group(person)]["people_behind"].add(person.id)
    since = at(today) - timedelta(days=14)
    for goal in current:
        key, objective = group(goal["owner"]), goal["objective"]
        for found in goal["results"]:
            result = found["result"]
            if result.status == "dropped":
                continue
            out[key]["key_results"] += 1
            out[key]["updated"] += int(found["updated"] is not None and found["updated"] >= since)
            read = SimpleNamespace(
                cycle_start=objective.cycle_start,
                cycle_end=objective.cycle_end,
                due_on=objective.due_on,
                created_at=objective.created_at,
                kind=result.kind,
                status=result.status,
                start_value=result.start_value,
                target_value=result.target_value,
                current_value=result.current_value,
            )
            out[key]["on_track"] += int(goal_pace.kr_status(read, read, today) == goal_pace.ON_TRACK)
            behind[key]["owners"].add(goal["owner"].id)
