"""`/goal edit N New title [by DATE]`, `/goal edit N.M New title`, `/goal edit N status at risk REASON`
(the owner's own reading of the status; `status auto` hands it back to the pace) and `/goal drop N`."""

from __future__ import annotations

import re

from bot import goal_pace as pace
from bot.dates import parse_day
from bot.errors import UserError
from bot.features.actions.common import split_due
from bot.features.goals.common import check_title, load, load_key_result, objective_ref, refuse_closed
from bot.replies import Reply
from bot.turn import Turn
from bot.workdays import person_zone

_STATUS = re.compile(r"^(?:status|状态)[:：]?\s*(?P<rest>.*)$", re.S | re.I)
_READINGS = {
    pace.ON_TRACK: ("on track", "on-track", "on_track", "正常", "进展正常"),
    pace.AT_RISK: ("at risk", "at-risk", "at_risk", "有风险", "风险"),
    pace.BEHIND: ("behind", "落后"),
    None: ("auto", "pace", "自动"),
}
MAX_REASON = 500


async def edit(turn: Turn, text: str) -> Reply:
    if "." in text.strip().partition(" ")[0]:
        return await _edit_key_result(turn, text)
    objective_id, rest = objective_ref(text)
    loaded = await load(turn, objective_id, to_change=True)
    objective = loaded.objective
    refuse_closed(turn, objective)
    if match := _STATUS.match(rest.strip()):
        return _override(turn, objective, match["rest"].strip())
    title, phrase = split_due(rest)
    if not title and not phrase:
        raise UserError("goal.edit_nothing", id=objective.id)
    if title:
        check_title(title)
        objective.title = title
    if phrase:
        local = turn.clock.now().astimezone(person_zone(loaded.owner, turn.org))
        objective.due_on = parse_day(phrase, now=local)
        objective.cycle_end = max(objective.cycle_end, objective.due_on)
    objective.updated_at = turn.clock.now()
    return Reply.text(turn.t("goal.edited", id=objective.id, title=objective.title))


def _override(turn: Turn, objective, text: str) -> Reply:
    reading, reason = _reading(text, objective_id=objective.id)
    if reading is not None and not reason:
        raise UserError("goal.status_reason", id=objective.id)
    if len(reason) > MAX_REASON:
        raise UserError("goal.note_long", length=len(reason), max=MAX_REASON)
    objective.override, objective.override_reason = reading, reason or None
    objective.updated_at = turn.clock.now()
    if reading is None:
        return Reply.text(turn.t("goal.status_auto", id=objective.id))
    state = turn.t(f"goal.state_{reading}")
    return Reply.text(turn.t("goal.status_set", id=objective.id, state=state, reason=reason))


def _reading(text: str, *, objective_id: int) -> tuple[str | None, str]:
    """The status typed ("at risk", "auto") and the reason after it."""
    lowered = text.lower()
    for reading, words in _READINGS.items():
        for word in words:
            if lowered == word or lowered.startswith(word + " "):
                return reading, text[len(word) :].strip()
    raise UserError("goal.bad_status", id=objective_id)


async def _edit_key_result(turn: Turn, text: str) -> Reply:
    loaded, result, rest = await load_key_result(turn, text, to_change=True)
    refuse_closed(turn, loaded.objective)
    if not rest:
        raise UserError("goal.edit_nothing", id=f"{loaded.objective.id}.{result.position}")
    check_title(rest)
    result.title, result.updated_at = rest, turn.clock.now()
    ref = f"{loaded.objective.id}.{result.position}"
    return Reply.text(turn.t("goal.kr_edited", ref=ref, title=result.title))


async def drop(turn: Turn, text: str) -> Reply:
    head, _, reason = text.strip().partition(" ")
    if "." in head:
        loaded, result, reason = await load_key_result(turn, text, to_change=True)
        refuse_closed(turn, loaded.objective)
        result.status, result.updated_at = "dropped", turn.clock.now()
        ref = f"{loaded.objective.id}.{result.position}"
        return Reply.text(turn.t("goal.kr_dropped", ref=ref, title=result.title))
    objective_id, reason = objective_ref(text)
    loaded = await load(turn, objective_id, to_change=True)
    objective = loaded.objective
    refuse_closed(turn, objective)
    if len(reason) > MAX_REASON:
        raise UserError("goal.note_long", length=len(reason), max=MAX_REASON)
    objective.status, objective.closed_at = "dropped", turn.clock.now()
    objective.drop_reason, objective.updated_at = reason.strip() or None, turn.clock.now()
    key = "goal.dropped_reason" if reason.strip() else "goal.dropped"
    return Reply.text(turn.t(key, id=objective.id, title=objective.title, reason=reason.strip()))
