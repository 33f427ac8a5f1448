"""The meeting record: `/review notes @alice`, the agreed actions, and her confirmation or comment."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.dates import format_day, parse_day
from bot.errors import UserError
from bot.events import Action, Message
from bot.features.actions.common import check_title, local_now, split_due
from bot.features.reviews.common import open_form, report_meeting
from bot.forms import queue
from bot.forms.definition import FormDefinition
from bot.forms.session import first_question
from bot.i18n import Messages
from bot.parse import PersonRef, as_text, tokenize
from bot.people import resolve_refs
from bot.replies import Button, Buttons, Reply, Text
from bot.reviews.forms import ACTION_ID, NOTES
from bot.turn import Turn
from store import actions, people, review_records
from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.models import Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewRecord

PARTS = ("goals", "process", "lessons", "development")
ACTIONS = (2, 3)
CONFIRM, COMMENT = "review:confirm", "review:comment"
_SPLIT = re.compile(r"\s*[;\n；]\s*")


async def notes(turn: Turn, text: str) -> Reply:
    """Open the record of the review as a form, for the manager, during or after the meeting."""
    meeting, employee, _ = await report_meeting(turn, text, usage="/review notes @alice")
    expires_at = max(turn.clock.now(), meeting.starts_at) + timedelta(days=14)
    row, aside = await open_form(turn, form=NOTES, meeting=meeting, expires_at=expires_at)
    intro = turn.t("review_forms.notes.intro", name=employee.display_name)
    return queue.with_aside(
        turn.t, first_question(turn.t, NOTES, row, before=(intro,), action_id=ACTION_ID), aside
    )


async def notes_done(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """Check the actions, then write everything at once: actions, record, the meeting held, her copy.
    A mistake in the actions raises before anything is written, and the form stays on that step."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    employee = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.employee_id)
    agreed = await parse_actions(turn, str(row.answers["actions"]), employee=employee)
    now = turn.clock.now()
    created = [
        await actions.create(
            turn.session,
            org_id=turn.org.id,
            title=title,
            owner_id=owner.id,
            creator_id=turn.person.id,
            status="open",
            due_on=due,
            source="review",
            source_ref=str(meeting.id),
            now=now,
        )
        for owner, title, due in agreed
    ]
    record = await review_records.add_record(
        turn.session,
        org_id=turn.org.id,
        meeting_id=meeting.id,
        author_id=turn.person.id,
        parts={part: row.answers[part] for part in PARTS},
        support=row.answers.get("support"),
        now=now,
    )
    meeting.status = "held"
    names = {p.id: p for p, _, _ in agreed}
    await turn.send_dm(
        to=employee,
        reply=for_confirmation(turn.messages_for(employee), record, created, names, manager=turn.person),
    )
    text = turn.t("review_record.saved", name=employee.display_name, count=len(created))
    lines = [text, *record_lines(turn.t, record, created, names)]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=text)


async def check_actions(turn: Turn, row: FormSession, text: str) -> None:
    """Refuse actions that cannot be written, while the form is still on that step."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    employee = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.employee_id)
    await parse_actions(turn, text, employee=employee)


async def parse_actions(turn: Turn, text: str, *, employee: Person) -> list[tuple[Person, str, date]]:
    """ "@alice Draft the plan by 2026-12-20; @carol Book the course by 2027-01-15": owner, title, due."""
    items = [item for item in _SPLIT.split(text.strip()) if item]
    if not ACTIONS[0] <= len(items) <= ACTIONS[1]:
        raise UserError("review_record.action_count", count=len(items), min=ACTIONS[0], max=ACTIONS[1])
    mentions = turn.event.mentions if isinstance(turn.event, Message) else ()
    agreed = []
    for item in items:
        segments = tokenize(item, mentions=mentions)
        first = next((s for s in segments if not (isinstance(s, str) and not s.strip())), None)
        if not isinstance(first, PersonRef):
            raise UserError("review_record.action_owner", item=item)
        owner = (await resolve_refs(turn, [first]))[first]
        if owner.id not in (employee.id, employee.manager_id):
            raise UserError("review_record.action_owner", item=item)
        title, phrase = split_due(as_text(segments[segments.index(first) + 1 :], names={}))
        if not phrase:
            raise UserError("review_record.action_due", item=item)
        check_title(title)
        agreed.append((owner, title, parse_day(phrase, now=local_now(turn, owner))))
    return agreed


def record_lines(
    t: Messages, record: ReviewRecord, created: list[ActionItem], owners: dict[int, Person]
) -> list[str]:
    lines = [f"*{t('review_digest.section.' + part)}*\n{record.parts[part]}" for part in PARTS]
    agreed = [
        t(
            "review_record.action_line",
            owner=owners[a.owner_id].display_name,
            title=a.title,
            day=format_day(t, a.due_on),
        )
        for a in created
    ]
    lines.append(f"*{t('review_record.actions')}*\n" + "\n".join(agreed))
    if record.support:
        lines.append(f"*{t('review_record.support')}*\n{record.support}")
    return lines


def for_confirmation(
    t: Messages,
    record: ReviewRecord,
    created: list[ActionItem],
    owners: dict[int, Person],
    *,
    manager: Person,
) -> Reply:
    """Her copy of the record, to confirm or comment on."""
    head = t("review_record.to_confirm", manager=manager.display_name)
    buttons = Buttons(
        buttons=(
            Button(
                label=t("review_record.confirm_button"),
                action_id=CONFIRM,
                value=str(record.meeting_id),
                style="primary",
            ),
            Button(label=t("review_record.comment_button"), action_id=COMMENT, value=str(record.meeting_id)),
        )
    )
    parts = [
        Text(text=head),
        *(Text(text=line) for line in record_lines(t, record, created, owners)),
        buttons,
    ]
    return Reply(parts=tuple(parts), summary=head)


async def _awaiting(turn: Turn, meeting_id: int | None) -> tuple[ReviewMeeting, ReviewRecord]:
    """Her latest record still waiting for an answer (or the one a button names)."""
    held = await review_records.past_meetings(turn.session, org_id=turn.org.id, employee_id=turn.person.id)
    for meeting, record in held:
        if record is not None and (meeting_id is None or meeting.id == meeting_id):
            if record.response != "pending":
                raise UserError("review_record.answered")
            return meeting, record
    raise UserError("review_record.nothing_to_confirm")


async def respond(turn: Turn, *, meeting_id: int | None, comment: str | None) -> Reply:
    meeting, record = await _awaiting(turn, meeting_id)
    record.response = "commented" if comment else "confirmed"
    record.comment, record.responded_at = comment, turn.clock.now()
    manager = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.manager_id)
    key = "review_record.manager_commented" if comment else "review_record.manager_confirmed"
    await turn.send_dm(
        to=manager,
        reply=Reply.text(
            turn.messages_for(manager)(key, name=turn.person.display_name, comment=comment or "")
        ),
    )
    return Reply.text(turn.t("review_record.commented" if comment else "review_record.confirmed"))


async def confirm(turn: Turn, text: str) -> Reply:
    return await respond(turn, meeting_id=None, comment=None)


async def comment(turn: Turn, text: str) -> Reply:
    if not text.strip():
        raise UserError("review_record.comment_empty")
    return await respond(turn, meeting_id=None, comment=text.strip())


async def pressed_confirm(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Action)
    return await respond(turn, meeting_id=int(event.value) if event.value.isdigit() else None, comment=None)


async def pressed_comment(turn: Turn) -> Reply:
    return Reply.text(turn.t("review_record.how_to_comment"))
