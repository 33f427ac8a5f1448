"""`/goal update N.M VALUE [confidence C] [note]` and `/goal done N.M`: progress, kept as history, and
the manager told once when a key result turns behind or its confidence falls two updates in a row."""

from __future__ import annotations

import re

from bot import goal_pace as pace
from bot.errors import UserError
from bot.features.goals import talks
from bot.features.goals.common import (
    Loaded,
    load,
    load_key_result,
    objective_ref,
    read_confidence,
    read_number,
    refuse_closed,
)
from bot.features.goals.view import kr_line, kr_status
from bot.replies import Reply
from bot.turn import Turn
from store import goals, people
from store.goal_models import KeyResult

_CONFIDENCE = re.compile(
    r"^(?:confidence|conf|信心|信心指数)[:：]?\s*(?P<value>\S+)\s*(?P<rest>.*)$", re.S | re.I
)
_DONE_WORDS = ("done", "完成", "已完成")
MAX_NOTE = 500


async def update(turn: Turn, text: str) -> Reply:
    loaded, result, rest = await load_key_result(turn, text, to_change=True)
    _refuse_closed(turn, loaded, result)
    value_word, _, rest = rest.partition(" ")
    if not value_word:
        raise UserError("goal.update_usage", ref=_ref(loaded, result))
    if result.kind == "milestone":
        if value_word.lower() not in _DONE_WORDS:
            raise UserError("goal.milestone_update", ref=_ref(loaded, result))
        return await finish(turn, loaded, result, note=rest.strip() or None)
    value = read_number(value_word)
    confidence, note = read_confidence_and_note(rest)
    return await apply(turn, loaded, result, value=value, confidence=confidence, note=note)


def read_confidence_and_note(text: str) -> tuple[int | None, str | None]:
    """ "confidence 7 signed two more", "7 signed two more" (a bare first number is the confidence)."""
    text = text.strip()
    if match := _CONFIDENCE.match(text):
        confidence, text = read_confidence(match["value"]), match["rest"].strip()
    else:
        first, _, after = text.partition(" ")
        confidence = None
        if first and first.isascii() and first.isdigit():
            confidence, text = read_confidence(first), after.strip()
    if len(text) > MAX_NOTE:
        raise UserError("goal.note_long", length=len(text), max=MAX_NOTE)
    return confidence, text or None


async def apply(
    turn: Turn, loaded: Loaded, result: KeyResult, *, value: float, confidence: int | None, note: str | None
) -> Reply:
    """Record a new value (from the command or the check-in) and answer with the key result's line."""
    history = await goals.updates(turn.session, org_id=turn.org.id, key_result_ids=[result.id])
    await _record(turn, loaded, result, value=value, confidence=confidence, note=note)
    confidences = [u.confidence for u in history if u.confidence is not None]
    await _tell_manager(turn, loaded, result, confidences=[*confidences, confidence])
    line = kr_line(turn.t, loaded.objective, result, today=turn.today, confidence=loaded.details)
    return Reply.text(turn.t("goal.updated", line=line))


async def done(turn: Turn, text: str) -> Reply:
    """`/goal done 3.2` closes a key result; `/goal done 3` the whole objective."""
    head = text.strip().partition(" ")[0]
    if "." not in head:
        return await _close_objective(turn, text)
    loaded, result, rest = await load_key_result(turn, text, to_change=True)
    _refuse_closed(turn, loaded, result)
    return await finish(turn, loaded, result, note=rest or None)


async def finish(turn: Turn, loaded: Loaded, result: KeyResult, *, note: str | None) -> Reply:
    reached = pace.progress(
        start=result.start_value, target=result.target_value, current=result.current_value
    )
    value = result.current_value if result.kind == "number" and reached >= 1 else result.target_value
    await _record(turn, loaded, result, value=value, note=note, done=True)
    return Reply.text(turn.t("goal.kr_done", ref=_ref(loaded, result), title=result.title))


async def _close_objective(turn: Turn, text: str) -> Reply:
    loaded = await load(turn, objective_ref(text)[0], to_change=True)
    objective = loaded.objective
    refuse_closed(turn, objective)
    objective.status, objective.closed_at = "done", turn.clock.now()
    objective.updated_at = turn.clock.now()
    return Reply.text(turn.t("goal.objective_done", id=objective.id, title=objective.title))


async def _record(turn: Turn, loaded: Loaded, result: KeyResult, **fields) -> None:
    now = turn.clock.now()
    await goals.record_update(
        turn.session, org_id=turn.org.id, result=result, actor_id=turn.person.id, now=now, **fields
    )
    loaded.objective.updated_at = now
    # Progress keeps the monthly goal conversation planned, for a manager who took the owner on later too.
    await talks.plan_for_owner(turn.session, org=turn.org, owner=loaded.owner, now=now)


def _refuse_closed(turn: Turn, loaded: Loaded, result: KeyResult) -> None:
    refuse_closed(turn, loaded.objective)
    if result.status == "done":
        raise UserError("goal.kr_already_done", ref=_ref(loaded, result))


def _ref(loaded: Loaded, result: KeyResult) -> str:
    return f"{loaded.objective.id}.{result.position}"


def falling(confidences: list[int | None]) -> bool:
    """Confidence fell two updates in a row: the last three given confidences go strictly down."""
    given = [c for c in confidences if c is not None][-3:]
    return len(given) == 3 and given[0] > given[1] > given[2]


async def _tell_manager(
    turn: Turn, loaded: Loaded, result: KeyResult, *, confidences: list[int | None]
) -> None:
    """The owner's manager hears once that a key result is behind or lost confidence twice running (like
    a blocker); the same news again only after it recovered. Not when the manager made the update."""
    behind = kr_status(loaded.objective, result, turn.today) == pace.BEHIND
    told = set(filter(None, (result.told or "").split(",")))
    if not behind:
        told.discard("behind")
    if not _lower(confidences):
        told.discard("confidence")
    news = [
        kind
        for kind, now in (("behind", behind), ("confidence", falling(confidences)))
        if now and kind not in told
    ]
    result.told = ",".join(sorted(told | set(news))) or None
    manager_id = loaded.owner.manager_id
    if not news or manager_id is None or manager_id == turn.person.id:
        return
    manager = await people.by_id(turn.session, org_id=turn.org.id, person_id=manager_id)
    if manager is None or manager.erased_at is not None:
        return
    t = turn.messages_for(manager)
    line = kr_line(t, loaded.objective, result, today=turn.today, confidence=True)
    reasons = " ".join(t(f"goal.manager_{kind}") for kind in news)
    text = t(
        "goal.manager_dm", name=loaded.owner.display_name, reasons=reasons, line=line, id=loaded.objective.id
    )
    await turn.send_dm(to=manager, reply=Reply.text(text))


def _lower(confidences: list[int | None]) -> bool:
    """The latest confidence given is below the one before."""
    given = [c for c in confidences if c is not None][-2:]
    return len(given) == 2 and given[1] < given[0]
