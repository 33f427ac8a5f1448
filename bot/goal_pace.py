"""Status from expected pace: pure functions of numbers and days, nothing read from the database.

expected = start + (target − start) × the elapsed share of the cycle. A key result is on track while its
progress is within 10% of the expected progress, at risk below that, and behind below 70% of it. Progress
is measured along the way from start to target, so a decreasing target (churn from 8% down to 3%) reads
the same as an increasing one. On the cycle's first day nothing is expected yet; on its last day (and
after) the whole target is. An objective takes its worst key result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from store.goal_models import KeyResult, Objective

ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"
STATUSES = (ON_TRACK, AT_RISK, BEHIND)  # best first
ON_TRACK_SHARE, BEHIND_SHARE = 0.9, 0.7
EPSILON = 1e-9  # values are floats: exactly on pace must not read as a hair behind it


def elapsed_share(*, first: date, last: date, today: date) -> float:
    """How much of the cycle from `first` to `last` (both included) has passed: 0 on the first day, 1 on
    the last day and after."""
    if last <= first:
        return 1.0 if today >= last else 0.0
    return min(1.0, max(0.0, (today - first).days / (last - first).days))


def expected(*, start: float, target: float, share: float) -> float:
    """The value the pace expects after `share` of the cycle."""
    return start + (target - start) * share


def progress(*, start: float, target: float, current: float) -> float:
    """The share of the way from start to target covered (below 0 when it went the wrong way)."""
    if target == start:
        return 1.0
    return (current - start) / (target - start)


def status(*, start: float, target: float, current: float, share: float) -> str:
    """on_track, at_risk or behind, for a numeric key result after `share` of its cycle."""
    done = progress(start=start, target=target, current=current)
    if done >= 1.0 or done + EPSILON >= ON_TRACK_SHARE * share:
        return ON_TRACK
    return AT_RISK if done + EPSILON >= BEHIND_SHARE * share else BEHIND


def milestone_status(*, done: bool, share: float) -> str:
    """A milestone has no pace: on track until the cycle is over, behind when it ends undone."""
    return ON_TRACK if done or share < 1.0 else BEHIND


def worst(statuses: Iterable[str]) -> str:
    """An objective's status: its worst key result's (on track when it has none)."""
    return max(statuses, key=STATUSES.index, default=ON_TRACK)


CYCLE_MONTHS = {"quarter": 3, "half": 6, "year": 12}


def cycle_of(day: date, *, kind: str) -> tuple[date, date]:
    """The first and last day of the cycle (quarter, half or year) that `day` falls in."""
    months = CYCLE_MONTHS[kind]
    first_month = (day.month - 1) // months * months + 1
    first = date(day.year, first_month, 1)
    after = first_month + months
    following = date(day.year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def share(objective: Objective, today: date) -> float:
    """The elapsed share of the objective's cycle, to its own due date when it has one. An objective
    set after its cycle began is paced from the day it was set: nothing is expected of it that day."""
    first = max(objective.cycle_start, objective.created_at.date())
    return elapsed_share(first=first, last=objective.due_on or objective.cycle_end, today=today)


def kr_status(objective: Objective, result: KeyResult, today: date) -> str:
    elapsed = share(objective, today)
    if result.kind == "milestone":
        return milestone_status(done=result.status == "done", share=elapsed)
    if result.status == "done":
        return ON_TRACK
    return status(
        start=result.start_value, target=result.target_value, current=result.current_value, share=elapsed
    )


def next_cycle(day: date, *, kind: str) -> tuple[date, date]:
    """The first and last day of the cycle after the one `day` falls in."""
    return cycle_of(cycle_of(day, kind=kind)[1] + timedelta(days=1), kind=kind)
