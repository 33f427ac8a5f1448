"""What the review commands share: finding the employee named and her meeting, with the right checks."""

from __future__ import annotations

from datetime import datetime

from bot.access import manages
from bot.errors import UserError
from bot.events import Command, Message
from bot.forms import queue
from bot.forms.definition import FormDefinition
from bot.forms.session import start
from bot.parse import PersonRef, tokenize
from bot.people import resolve_refs
from bot.reviews.evidence import subject
from bot.turn import Turn
from store import audit, forms, reviews
from store.checkin_models import FormSession
from store.models import Person
from store.review_models import ReviewMeeting


async def named(turn: Turn, text: str, *, usage: str) -> tuple[Person | None, str]:
    """The person mentioned first (None when nobody is), and the text after the mention."""
    event = turn.event
    mentions = event.mentions if isinstance(event, Command | Message) else ()
    segments = tokenize(text, mentions=mentions)
    first = next((s for s in segments if not (isinstance(s, str) and not s.strip())), None)
    if not isinstance(first, PersonRef):
        return None, text.strip()
    person = (await resolve_refs(turn, [first]))[first]
    rest = "".join(s if isinstance(s, str) else s.text for s in segments[segments.index(first) + 1 :])
    return person, rest.strip()


async def report(turn: Turn, text: str, *, usage: str) -> tuple[Person, str]:
    """For the manager's commands: the report named (refused unless the acting person manages her),
    and the rest of the text."""
    employee, rest = await named(turn, text, usage=usage)
    if employee is None:
        raise UserError("review_prep.who", usage=usage)
    if not manages(turn.person, employee):
        raise UserError("review_prep.not_manager", name=employee.display_name)
    return employee, rest


async def report_meeting(turn: Turn, text: str, *, usage: str) -> tuple[ReviewMeeting, Person, str]:
    """For the manager's commands: the report named, her scheduled review, the rest of the text."""
    employee, rest = await report(turn, text, usage=usage)
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


async def open_form(
    turn: Turn, *, form: FormDefinition, meeting: ReviewMeeting, expires_at: datetime
) -> tuple[FormSession, FormSession | None]:
    """The acting person's session of `form` for the meeting, resumed where they left it or started
    (again, once finished or closed, until `expires_at`): the form they answer now. The form they
    were answering waits, and is returned second (`bot.forms.queue.bring_forward`)."""
    now = turn.clock.now()
    row = await forms.by_subject(
        turn.session,
        org_id=turn.org.id,
        person_id=turn.person.id,
        form_key=form.key,
        subject=subject(meeting),
    )
    if row is None:
        row = await start(
            turn.session,
            org_id=turn.org.id,
            person_id=turn.person.id,
            form=form,
            subject=subject(meeting),
            expires_at=expires_at,
            now=now,
        )
    elif row.status not in forms.LIVE:
        row.step, row.expires_at = 0, expires_at
    return row, await queue.bring_forward(turn.session, row=row, now=now)


async def audit_view(turn: Turn, *, action: str, about: Person, detail: dict | None = None) -> None:
    """Record that the acting person looked at something of someone else's (a digest, a record)."""
    if about.id != turn.person.id:
        await audit.record(
            turn.session,
            org_id=turn.org.id,
            action=action,
            now=turn.clock.now(),
            actor_id=turn.person.id,
            actor_label=turn.person.display_name,
            subject_id=about.id,
            detail=detail,
        )
