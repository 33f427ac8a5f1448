"""What the meeting's record carries into the next period (issue 18): its "Goals for next period" step
becomes drafts of the employee's next cycle, which she confirms, and its "Development goals" step
development goals of her plan (`bot.features.goals.carried`, as the record writes its actions through
the actions feature). Each step is checked while the form is on it, and kept as read (dates as days,
never guessed again); the form's end reads them again before anything is written, and writes them in
the record's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.answers import says_something
from bot.features.goals import carried, drafts
from bot.turn import Turn
from store import people, review_records
from store.checkin_models import FormSession
from store.models import Person
from store.review_models import ReviewMeeting

STEP = "development_goals"


@dataclass(frozen=True, kw_only=True)
class ToCarry:
    titles: list[str] = field(default_factory=list)
    plan: list[carried.Planned] = field(default_factory=list)


async def _employee(turn: Turn, row: FormSession) -> Person:
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    return await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.employee_id)


async def check_next_goals(turn: Turn, row: FormSession, text: str) -> str:
    """ "Lead the Q2 project; Mentor a new hire": refused now if a title cannot be drafted."""
    if not says_something(text):
        return text
    drafts.read_titles(text)
    return text.strip()  # as typed: the titles read the same again


async def check_development_goals(turn: Turn, row: FormSession, text: str) -> str:
    """One development goal a line; a due date that cannot be read for sure is asked back now, and kept
    as the day it was read as (`2027-03-31`), so that the form's end reads the same day."""
    if not says_something(text):
        return text
    employee = await _employee(turn, row)
    now = carried.local_now(employee=employee, org=turn.org, now=turn.clock.now())
    return "\n".join(planned.text() for planned in carried.read_plan(text, now=now))


async def passed_since(turn: Turn, row: FormSession, answers: dict[str, Any]) -> tuple[str, str] | None:
    """As the record is about to finish: a development goal whose date has passed since its step (the
    record is finished days later) sends the form back to that step, saying which line it is."""
    plan = answers.get(STEP)
    if not says_something(plan):
        return None
    employee = await _employee(turn, row)
    now = carried.local_now(employee=employee, org=turn.org, now=turn.clock.now())
    try:
        carried.read_plan(str(plan), now=now)
    except carried.LineRefused as error:
        problem = error.explain(turn.t)
        return STEP, turn.t("review_record.plan_passed", line=error.line, item=error.item, problem=problem)
    return None


def read(turn: Turn, row: FormSession, *, employee: Person) -> ToCarry:
    """The two steps' answers, read again at the form's end (a UserError before anything is written)."""
    titles, plan = row.answers.get("next_goals"), row.answers.get(STEP)
    now = carried.local_now(employee=employee, org=turn.org, now=turn.clock.now())
    return ToCarry(
        titles=drafts.read_titles(str(titles)) if says_something(titles) else [],
        plan=carried.read_plan(str(plan), now=now) if says_something(plan) else [],
    )


async def carry(
    turn: Turn, *, meeting: ReviewMeeting, employee: Person, to_carry: ToCarry
) -> carried.Carried:
    """Write them, linked to the meeting; what the meeting carried already stays (an amendment adds)."""
    return await carried.carry(
        turn.session,
        org=turn.org,
        meeting_id=meeting.id,
        employee=employee,
        author=turn.person,
        titles=to_carry.titles,
        plan=to_carry.plan,
        now=turn.clock.now(),
    )
