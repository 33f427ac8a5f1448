"""The meeting record: `/review notes @alice`, the agreed actions, and her confirmation or comment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.dates import format_day, parse_day
from bot.errors import UserError
from bot.events import Action, Mention, Message
from bot.evidence import Source
from bot.features.actions import reminders
from bot.features.actions.common import check_title, local_now, split_due
from bot.features.goals.carried import Carried
from bot.features.reviews.carry import ToCarry, carry
from bot.features.reviews.common import open_form, report_meeting
from bot.features.reviews.forms import ACTION_ID, NOTES, with_reminders
from bot.forms import queue
from bot.forms.session import Audience, first_question
from bot.i18n import Messages
from bot.numbers import as_id
from bot.parse import PersonRef, as_text, mention_of, person_refs, rewrite_people, tokenize
from bot.people import resolve_refs
from bot.replies import Button, Buttons, Reply, Text
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
# Why fewer than two actions were agreed, written after them: "...; reason: she moves team in January".
_REASON = re.compile(r"^(?:reason|because|原因|理由)\s*[:：]\s*(?P<reason>\S.*)$", re.I | re.S)


@dataclass(frozen=True, kw_only=True)
class Agreed:
    """The actions typed at the end of the meeting (owner, title, due), and why there are fewer than
    two, when there are."""

    actions: list[tuple[Person, str, date]]
    reason: str | None


async def notes(turn: Turn, text: str, *, sources: Mapping[str, Source]) -> Reply:
    """Open the record of the review as a form, for the manager, during or after the meeting; its first
    question shows her goals of the period (`sources`: what the features registered)."""
    meeting, employee, _ = await report_meeting(turn, text, usage="/review notes @alice")
    expires_at = max(turn.clock.now(), meeting.starts_at) + timedelta(days=14)
    row, aside = await open_form(turn, form=NOTES, meeting=meeting, expires_at=expires_at)
    intro = turn.t("review_forms.notes.intro", name=employee.display_name)
    return queue.with_aside(
        turn.t, await first_notes_question(turn, row, intro=intro, sources=sources), aside
    )


async def first_notes_question(
    turn: Turn, row: FormSession, *, intro: str, sources: Mapping[str, Source]
) -> Reply:
    """The record's first question (where it was left), with what the features propose under it."""
    reply = first_question(turn.t, NOTES, row, before=(intro,), action_id=ACTION_ID)
    return await with_reminders(Audience.of_turn(turn), row, reply, sources=sources)


async def notes_done(
    turn: Turn,
    row: FormSession,
    *,
    meeting: ReviewMeeting,
    employee: Person,
    agreed: Agreed,
    to_carry: ToCarry,
) -> Reply:
    """Write everything at once: actions, the goals carried, record, the meeting held, her copy to
    confirm."""
    carried = await carry(turn, meeting=meeting, employee=employee, to_carry=to_carry)
    created = [
        await create_action(turn, meeting=meeting, owner=owner, title=title, due=due)
        for owner, title, due in agreed.actions
    ]
    record = await review_records.add_record(
        turn.session,
        org_id=turn.org.id,
        meeting_id=meeting.id,
        author_id=turn.person.id,
        parts={part: row.answers[part] for part in PARTS},
        support=row.answers.get("support"),
        actions_reason=agreed.reason,
        now=turn.clock.now(),
    )
    meeting.status = "held"
    names = {p.id: p for p, _, _ in agreed.actions}
    await turn.send_dm(
        to=employee,
        reply=for_confirmation(
            turn.messages_for(employee), record, created, names, manager=turn.person, carried=carried
        ),
    )
    text = turn.t("review_record.saved", name=employee.display_name, count=len(created))
    lines = [text, *record_lines(turn.t, record, created, names, carried=carried)]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=text)


async def create_action(
    turn: Turn, *, meeting: ReviewMeeting, owner: Person, title: str, due: date
) -> ActionItem:
    """An agreed action, linked to the meeting it was agreed in, reminded as any dated action is."""
    action = await actions.create(
        turn.session,
        org_id=turn.org.id,
        title=title,
        owner_id=owner.id,
        creator_id=turn.person.id,
        status="open",
        due_on=due,
        source="review",
        source_ref=str(meeting.id),
        now=turn.clock.now(),
    )
    await reminders.replan(turn, action, owner)
    return action


async def check_actions(turn: Turn, row: FormSession, text: str) -> str:
    """Refuse actions that cannot be written, while the form is still on that step. The answer is
    kept with each person it names resolved now, from this message's mentions (some platforms say who
    a mention is only in the message that carries it), so that the form's end reads
    the same people again, and the answer read back names them as people read them."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    employee = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.employee_id)
    await parse_actions(turn, text, employee=employee)
    mentions = _mentions(turn)
    named = await resolve_refs(turn, person_refs(tokenize(text, mentions=mentions)))
    return rewrite_people(
        text, mentions=mentions, write=lambda ref: mention_of(named[ref].id, named[ref].display_name)
    )


def _mentions(turn: Turn) -> tuple[Mention, ...]:
    return turn.event.mentions if isinstance(turn.event, Message) else ()


async def parse_actions(turn: Turn, text: str, *, employee: Person) -> Agreed:
    """ "@alice Draft the plan by 2026-12-20; @carol Book the course by 2027-01-15": owner, title, due
    of each; fewer than two only with "reason: ..." after them."""
    items = [item for item in _SPLIT.split(text.strip()) if item]
    reasons = [match["reason"].strip() for item in items if (match := _REASON.match(item))]
    items = [item for item in items if not _REASON.match(item)]
    if len(items) > ACTIONS[1] or (len(items) < ACTIONS[0] and not reasons):
        raise UserError("review_record.action_count", count=len(items), min=ACTIONS[0], max=ACTIONS[1])
    agreed = []
    for item in items:
        segments = tokenize(item, mentions=_mentions(turn))
        # The item as people read it, for a refusal: mentions as @Name, never a platform's markup
        shown = as_text(segments, names={ref: ref.text.removeprefix("@") for ref in person_refs(segments)})
        first = next((s for s in segments if not (isinstance(s, str) and not s.strip())), None)
        if not isinstance(first, PersonRef):
            raise UserError("review_record.action_owner", item=shown)
        named = await resolve_refs(turn, person_refs(segments))
        owner = named[first]
        if owner.id not in (employee.id, employee.manager_id):
            raise UserError("review_record.action_owner", item=shown)
        names = {ref: person.display_name for ref, person in named.items()}
        title, phrase = split_due(as_text(segments[segments.index(first) + 1 :], names=names))
        if not phrase:
            raise UserError("review_record.action_due", item=shown)
        check_title(title)
        agreed.append((owner, title, parse_day(phrase, now=local_now(turn, owner))))
    return Agreed(actions=agreed, reason="; ".join(reasons) or None)


def record_lines(
    t: Messages,
    record: ReviewRecord,
    created: list[ActionItem],
    owners: dict[int, Person],
    *,
    carried: Carried,
    for_owner: bool = False,
) -> list[str]:
    lines = [f"*{t('review_digest.section.' + part)}*\n{record.parts[part]}" for part in PARTS]
    lines += carried.lines(t, for_owner=for_owner)
    agreed = [
        t(
            "review_record.action_line",
            owner=owners[a.owner_id].display_name,
            title=a.title,
            day=format_day(t, a.due_on),
        )
        for a in created
    ]
    if not agreed:
        agreed.append(t("review_record.actions_none"))
    if record.actions_reason:
        agreed.append(t("review_record.actions_reason", reason=record.actions_reason))
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
    carried: Carried,
    key: str = "review_record.to_confirm",
) -> Reply:
    """Her copy of the record, to confirm or comment on (`key`: what to say first), with a button to
    confirm each goal drafted for her next cycle."""
    head = t(key, manager=manager.display_name)
    buttons = Buttons(
        buttons=(
            Button(
                label=t("review_record.confirm_button"),
                action_id=CONFIRM,
                value=str(record.meeting_id),
                style="primary",
            ),
            Button(label=t("review_record.comment_button"), action_id=COMMENT, value=str(record.meeting_id)),
            *carried.buttons(t),
        )
    )
    parts = [
        Text(text=head),
        *(
            Text(text=line)
            for line in record_lines(t, record, created, owners, carried=carried, for_owner=True)
        ),
        buttons,
    ]
    return Reply(parts=tuple(parts), summary=head)


async def _awaiting(
    turn: Turn, meeting_id: int | None, *, comment: str | None
) -> tuple[ReviewMeeting, ReviewRecord]:
    """Her latest record (or the one a button names), if it can take this answer: a pending record
    takes a confirmation or a comment; one she commented on can still be confirmed."""
    held = await review_records.past_meetings(turn.session, org_id=turn.org.id, employee_id=turn.person.id)
    for meeting, record in held:
        if record is not None and (meeting_id is None or meeting.id == meeting_id):
            if record.response == "confirmed":
                raise UserError("review_record.answered")
            if record.response == "commented" and comment:
                raise UserError("review_record.commented_already")
            return meeting, record
    raise UserError("review_record.nothing_to_confirm")


async def respond(turn: Turn, *, meeting_id: int | None, comment: str | None) -> Reply:
    meeting, record = await _awaiting(turn, meeting_id, comment=comment)
    record.response = "commented" if comment else "confirmed"
    record.comment = comment or record.comment  # a comment stays when she confirms after it
    record.responded_at = turn.clock.now()
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
    return await respond(turn, meeting_id=as_id(event.value), comment=None)


async def pressed_comment(turn: Turn) -> Reply:
    return Reply.text(turn.t("review_record.how_to_comment"))
