"""Amending a meeting record: `/review amend @alice` opens the record's form again, each question
showing what the record says (`skip` keeps it). Finished, the version it replaces is kept in the
record's history, the agreed actions follow the new list (kept, re-dated, added, or dropped as no
longer agreed), and she is asked to confirm the record again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.errors import UserError
from bot.evidence import Source
from bot.features.actions import reminders
from bot.features.goals.carried import Carried
from bot.features.reviews import carry as carrying
from bot.features.reviews import record as records
from bot.features.reviews.common import open_form, report
from bot.features.reviews.forms import NOTES
from bot.forms import queue
from bot.forms.definition import FormDefinition
from bot.replies import Reply, Text
from bot.turn import Turn
from store import actions, people, review_records
from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.models import Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewRecord

USAGE = "/review amend @alice"


async def amend(turn: Turn, text: str, *, sources: Mapping[str, Source]) -> Reply:
    """Open the record of the manager's latest review with the person named, to change it."""
    employee, _ = await report(turn, text, usage=USAGE)
    held = await review_records.past_meetings(turn.session, org_id=turn.org.id, employee_id=employee.id)
    meeting = next((m for m, r in held if r is not None and m.manager_id == turn.person.id), None)
    if meeting is None:
        raise UserError("review_record.nothing_to_amend", name=employee.display_name)
    expires_at = turn.clock.now() + timedelta(days=14)
    row, aside = await open_form(turn, form=NOTES, meeting=meeting, expires_at=expires_at)
    intro = turn.t("review_record.amend_intro", name=employee.display_name)
    reply = await records.first_notes_question(turn, row, intro=intro, sources=sources)
    return queue.with_aside(turn.t, reply, aside)


async def notes_finished(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """The record form is done: a first record, or an amendment of the one there is. The actions are
    checked first; a mistake raises before anything is written, and the form stays on that step."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    employee = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.employee_id)
    agreed = await records.parse_actions(turn, str(row.answers["actions"]), employee=employee)
    to_carry = carrying.read(turn, row, employee=employee)
    existing = await review_records.record(turn.session, org_id=turn.org.id, meeting_id=meeting.id)
    if existing is None:
        return await records.notes_done(
            turn, row, meeting=meeting, employee=employee, agreed=agreed, to_carry=to_carry
        )
    carried = await carrying.carry(turn, meeting=meeting, employee=employee, to_carry=to_carry)
    return await _amended(
        turn, row, meeting=meeting, employee=employee, agreed=agreed, record=existing, carried=carried
    )


async def _amended(
    turn: Turn,
    row: FormSession,
    *,
    meeting: ReviewMeeting,
    employee: Person,
    agreed: records.Agreed,
    record: ReviewRecord,
    carried: Carried,
) -> Reply:
    before = await review_records.agreed_actions(turn.session, org_id=turn.org.id, meeting_id=meeting.id)
    version = _version(record, before)
    record.history = [*record.history, version]
    now_agreed = await _follow(turn, meeting=meeting, before=before, agreed=agreed)
    record.parts = {part: row.answers[part] for part in records.PARTS}
    record.support, record.actions_reason = row.answers.get("support"), agreed.reason
    record.response, record.comment, record.responded_at = "pending", None, None
    record.amended_at = turn.clock.now()
    owners = {p.id: p for p, _, _ in agreed.actions}
    t_employee = turn.messages_for(employee)
    copy = records.for_confirmation(
        t_employee,
        record,
        now_agreed,
        owners,
        manager=turn.person,
        carried=carried,
        key="review_record.amended_to_confirm",
    )
    changed = [t_employee(key) for key in _changed(version, _version(record, now_agreed))]
    note = (
        t_employee("review_record.changed", parts=t_employee.join(changed))
        if changed
        else t_employee("review_record.unchanged")
    )
    parts = (copy.parts[0], Text(text=note), *copy.parts[1:])
    await turn.send_dm(to=employee, reply=Reply(parts=parts, summary=copy.summary))
    text = turn.t("review_record.amended", name=employee.display_name)
    lines = [text, *records.record_lines(turn.t, record, now_agreed, owners, carried=carried)]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=text)


def _version(record: ReviewRecord, agreed: list[ActionItem]) -> dict[str, Any]:
    """The record as it stood, with its actions and her answer, for its history."""
    return {
        "recorded_at": (record.amended_at or record.created_at).isoformat(),
        "parts": dict(record.parts),
        "support": record.support,
        "actions": [
            {"owner_id": a.owner_id, "title": a.title, "due_on": a.due_on and a.due_on.isoformat()}
            for a in agreed
            if a.status in actions.OPEN_STATUSES or a.status == "done"
        ],
        "actions_reason": record.actions_reason,
        "response": record.response,
        "comment": record.comment,
        "responded_at": record.responded_at and record.responded_at.isoformat(),
    }


async def _follow(
    turn: Turn, *, meeting: ReviewMeeting, before: list[ActionItem], agreed: records.Agreed
) -> list[ActionItem]:
    """The meeting's actions after the amendment, in the order now agreed: an open one still agreed
    keeps its history (and takes its new due date), a new one is created, and one no longer agreed is
    dropped with that as its reason. Done actions stay done."""
    still_open = {(a.owner_id, a.title.casefold()): a for a in before if a.status in actions.OPEN_STATUSES}
    done = {(a.owner_id, a.title.casefold()): a for a in before if a.status == "done"}
    now_agreed = []
    for owner, title, due in agreed.actions:
        key = (owner.id, title.casefold())
        action = still_open.pop(key, None) or done.get(key)
        if action is None:
            action = await records.create_action(turn, meeting=meeting, owner=owner, title=title, due=due)
        elif action.due_on != due and action.status != "done":
            await _change(turn, action, owner, "edited", before={"due_on": _iso(action.due_on)}, due=due)
        now_agreed.append(action)
    for action in still_open.values():
        owner = await people.by_id(turn.session, org_id=turn.org.id, person_id=action.owner_id)
        await _change(turn, action, owner, "dropped", reason=turn.t("review_record.dropped_by_amendment"))
    return now_agreed


async def _change(turn: Turn, action: ActionItem, owner: Person, kind: str, *, due=None, **detail) -> None:
    if kind == "dropped":
        action.status, action.closed_at = "dropped", turn.clock.now()
    else:
        action.due_on = due
        detail["after"] = {"due_on": _iso(due)}
    await actions.record(
        turn.session,
        org_id=turn.org.id,
        action=action,
        actor_id=turn.person.id,
        kind=kind,
        now=turn.clock.now(),
        detail=detail,
    )
    await reminders.replan(turn, action, owner)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The sections an amendment changed (catalogue keys of their names), comparing two versions."""
    keys = [
        f"review_digest.section.{p}" for p in records.PARTS if before["parts"].get(p) != after["parts"].get(p)
    ]
    if (before["actions"], before["actions_reason"]) != (after["actions"], after["actions_reason"]):
        keys.append("review_record.actions")
    if before["support"] != after["support"]:
        keys.append("review_record.support")
    return keys


def _iso(day) -> str | None:
    return day.isoformat() if day else None
