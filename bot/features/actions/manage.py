"""Changing an action: accept, done, drop, edit, snooze. Each records a line of history."""

from __future__ import annotations

from bot.errors import UserError
from bot.features.actions import reminders
from bot.features.actions.common import (
    check_title,
    due_on,
    due_text,
    load,
    parse_id,
    split_due,
    tell,
)
from bot.i18n import Phrase
from bot.replies import Reply
from bot.turn import Turn
from store import actions
from store.action_models import ActionItem


async def accept(turn: Turn, text: str) -> Reply:
    action, owner = await load(turn, parse_id(text)[0], to_change=False)
    if action.owner_id != turn.person.id:
        raise UserError("action.only_owner_accepts", owner=owner.display_name, id=action.id)
    if action.status != "proposed":
        _refuse_closed(turn, action)
        raise UserError("action.already_open", id=action.id, owner=owner.display_name)
    action.status = "open"
    await _record(turn, action, "accepted")
    await reminders.replan(turn, action, owner)
    await tell(
        turn, person_id=action.creator_id, key="action.accepted_dm", action=action, owner=owner.display_name
    )
    return Reply.text(turn.t("action.accepted", id=action.id, title=action.title))


async def done(turn: Turn, text: str) -> Reply:
    action, owner = await _open_for_change(turn, text)
    action.status, action.closed_at = "done", turn.clock.now()
    await _record(turn, action, "done")
    await reminders.replan(turn, action, owner)
    await _tell_others(turn, action, "action.done_dm")
    return Reply.text(turn.t("action.done", id=action.id, title=action.title))


async def drop(turn: Turn, text: str) -> Reply:
    action, owner = await _open_for_change(turn, text)
    reason = parse_id(text)[1]
    action.status, action.closed_at = "dropped", turn.clock.now()
    await _record(turn, action, "dropped", reason=reason or None)
    await reminders.replan(turn, action, owner)
    await _tell_others(turn, action, "action.dropped_dm")
    key = "action.dropped_reason" if reason else "action.dropped"
    return Reply.text(turn.t(key, id=action.id, title=action.title, reason=reason))


async def edit(turn: Turn, text: str) -> Reply:
    action, owner = await _open_for_change(turn, text)
    title, phrase = split_due(parse_id(text)[1])
    if not title and not phrase:
        raise UserError("action.edit_nothing", id=action.id)
    before = {"title": action.title, "due_on": _iso(action.due_on)}
    if title:
        check_title(title)
        action.title = title
    if phrase:
        action.due_on = due_on(turn, owner, phrase)
    await _record(
        turn, action, "edited", before=before, after={"title": action.title, "due_on": _iso(action.due_on)}
    )
    await reminders.replan(turn, action, owner)
    await _tell_others(turn, action, "action.edited_dm", due=Phrase(lambda t: due_text(t, action)))
    return Reply.text(turn.t("action.edited", id=action.id, title=action.title, due=due_text(turn.t, action)))


async def snooze(turn: Turn, text: str) -> Reply:
    action, owner = await _open_for_change(turn, text)
    phrase = parse_id(text)[1]
    for word in ("until ", "till ", "to ", "到", "至"):
        phrase = phrase.removeprefix(word).strip()
    if not phrase:
        raise UserError("action.snooze_until", id=action.id)
    day = due_on(turn, owner, phrase)
    if action.due_on is not None and day <= action.due_on:
        # Snoozing postpones: an earlier day is an edit, said so rather than called "postponed".
        key = "action.snooze_same" if day == action.due_on else "action.snooze_earlier"
        raise UserError(key, id=action.id, day=day, due=action.due_on, typed=day.isoformat())
    before, action.due_on = _iso(action.due_on), day
    await _record(turn, action, "snoozed", before=before, after=_iso(action.due_on))
    await reminders.replan(turn, action, owner)
    await _tell_others(turn, action, "action.snoozed_dm", day=action.due_on)
    return Reply.text(turn.t("action.snoozed", id=action.id, day=action.due_on))


async def _open_for_change(turn: Turn, text: str):
    action, owner = await load(turn, parse_id(text)[0], to_change=True)
    _refuse_closed(turn, action)
    return action, owner


def _refuse_closed(turn: Turn, action: ActionItem) -> None:
    if action.status in ("done", "dropped"):
        raise UserError(
            "action.already_closed", id=action.id, status=turn.t(f"action.status_{action.status}")
        )


async def _record(turn: Turn, action: ActionItem, kind: str, **detail: object) -> None:
    await actions.record(
        turn.session,
        org_id=turn.org.id,
        action=action,
        actor_id=turn.person.id,
        kind=kind,
        now=turn.clock.now(),
        detail=detail,
    )


async def _tell_others(turn: Turn, action: ActionItem, key: str, **params: object) -> None:
    """The owner hears of changes made by others; the creator hears when the owner closes or changes it."""
    for person_id in dict.fromkeys((action.owner_id, action.creator_id)):
        await tell(turn, person_id=person_id, key=key, action=action, **params)


def _iso(day) -> str | None:
    return day.isoformat() if day else None
