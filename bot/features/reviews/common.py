"""What the review commands share: finding the employee named and her meeting, with the right checks."""

from __future__ import annotations

from bot.access import manages
from bot.errors import UserError
from bot.events import Command
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.turn import Turn
from store import reviews
from store.models import Person
from store.review_models import ReviewMeeting


async def named(turn: Turn, text: str, *, usage: str) -> tuple[Person | None, str]:
    """The person mentioned first (None when nobody is), and the text after the mention."""
    event = turn.event
    mentions = event.mentions if isinstance(event, Command) else ()
    segments = tokenize(text, mentions=mentions)
    first = next((s for s in segments if not (isinstance(s, str) and not s.strip())), None)
    if not isinstance(first, PersonRef):
        return None, text.strip()
    person = (await resolve_refs(turn, [first]))[first]
    rest = "".join(s if isinstance(s, str) else s.text for s in segments[segments.index(first) + 1 :])
    return person, rest.strip()


async def report_meeting(turn: Turn, text: str, *, usage: str) -> tuple[ReviewMeeting, Person, str]:
    """For the manager's commands: the report named, her scheduled review, the rest of the text."""
    employee, rest = await named(turn, text, usage=usage)
    if employee is None:
        raise UserError("review_prep.who", usage=usage)
    if not manages(turn.person, employee):
        raise UserError("review_prep.not_manager", name=employee.display_name)
    meeting = await reviews.next_scheduled(turn.session, org_id=turn.org.id, employee_id=employee.id)
    if meeting is None or meeting.manager_id != turn.person.id:
        raise UserError("review.none", name=employee.display_name)
    return meeting, employee, rest


async def own_meeting(turn: Turn) -> ReviewMeeting:
    """For the employee's commands: her scheduled review."""
    meeting = await reviews.next_scheduled(turn.session, org_id=turn.org.id, employee_id=turn.person.id)
    if meeting is None:
        raise UserError("review_prep.no_own_review")
    return meeting
