"""How goals read: a key result's line with its bar and pace, an objective's status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot import goal_pace as pace
from bot.features.goals.common import number
from bot.goal_pace import kr_status, share
from bot.i18n import Messages
from store.goal_models import KeyResult, Objective

BAR_CELLS = 10


def objective_status(objective: Objective, results: Sequence[KeyResult], today: date) -> str:
    """The owner's own reading when they gave one, else the worst of its open key results."""
    if objective.override:
        return objective.override
    return pace.worst(kr_status(objective, kr, today) for kr in results if kr.status != "dropped")


def bar(result: KeyResult) -> str:
    """`▰▰▰▱▱▱▱▱▱▱`: the share of the way from start to target covered."""
    done = pace.progress(start=result.start_value, target=result.target_value, current=result.current_value)
    filled = round(min(1.0, max(0.0, done)) * BAR_CELLS)
    return "▰" * filled + "▱" * (BAR_CELLS - filled)


def kr_line(t: Messages, objective: Objective, result: KeyResult, *, today: date, confidence: bool) -> str:
    """ "3.1 Migrate customers ▰▰▰▱▱▱▱▱▱▱ 12/40 customers · pace 15 · on track · confidence 7"."""
    ref = f"{objective.id}.{result.position}"
    state = t(f"goal.state_{kr_status(objective, result, today)}")
    if result.status == "dropped":
        return t("goal.kr_line_dropped", ref=ref, title=result.title)
    if result.kind == "milestone":
        key = "goal.kr_line_milestone_done" if result.status == "done" else "goal.kr_line_milestone"
        text = t(key, ref=ref, title=result.title, state=state)
    else:
        expected = pace.expected(
            start=result.start_value, target=result.target_value, share=share(objective, today)
        )
        text = t(
            "goal.kr_line_done" if result.status == "done" else "goal.kr_line",
            ref=ref,
            title=result.title,
            bar=bar(result),
            current=number(result.current_value),
            target=number(result.target_value),
            unit=f" {result.unit}" if result.unit else "",
            pace=number(round(expected, 1)),
            state=state,
        )
    if confidence and result.confidence is not None:
        text += t("goal.confidence_suffix", confidence=result.confidence)
    return text


def objective_line(
    t: Messages, objective: Objective, results: Sequence[KeyResult], *, today: date, owner: str | None = None
) -> str:
    """ "#3 Ship billing v2 · on track" (with the owner's name in a list of several people's)."""
    state = t(f"goal.state_{objective_status(objective, results, today)}")
    if objective.status in ("done", "dropped", "draft"):
        state = t(f"goal.status_{objective.status}")
    key = "goal.objective_line_owner" if owner else "goal.objective_line"
    return t(key, id=objective.id, title=objective.title, state=state, owner=owner or "")
