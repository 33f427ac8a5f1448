"""What the recipient can do with feedback: thank once, reply once; and the list of one's feedback."""

from __future__ import annotations

from datetime import date

from bot.dates import format_day
from bot.errors import UserError
from bot.features.feedback.common import load, parse_id, person
from bot.replies import Reply, Text
from bot.turn import Turn
from store import feedback, people
from store.feedback_models import Feedback

MAX_REPLY = 1000


async def thank(turn: Turn, text: str) -> Reply:
    item = await _received(turn, text)
    giver = await person(turn, item.giver_id)
    if item.thanked_at:
        raise UserError("feedback.already_thanked", giver=giver.display_name, id=item.id)
    item.thanked_at = turn.clock.now()
    t = turn.messages_for(giver)
    await turn.send_dm(to=giver, reply=Reply.text(t("feedback.thanked_dm", name=turn.person.display_name)))
    return Reply.text(turn.t("feedback.thanked", giver=giver.display_name))


async def reply(turn: Turn, text: str) -> Reply:
    item = await _received(turn, text)
    words = parse_id(text)[1][:MAX_REPLY]
    if item.reply is not None:
        raise UserError("feedback.already_replied", id=item.id)
    if not words:
        raise UserError("feedback.reply_empty", id=item.id)
    item.reply, item.replied_at = words, turn.clock.now()
    giver = await person(turn, item.giver_id)
    t = turn.messages_for(giver)
    await turn.send_dm(
        to=giver, reply=Reply.text(t("feedback.reply_dm", name=turn.person.display_name, reply=words))
    )
    return Reply.text(turn.t("feedback.replied", giver=giver.display_name))


async def _received(turn: Turn, text: str) -> Feedback:
    item = await load(turn, parse_id(text)[0])
    if item.recipient_id != turn.person.id:
        raise UserError("feedback.only_recipient", id=item.id)
    return item


async def list_feedback(turn: Turn, text: str) -> Reply:
    """The person's own feedback, received and given, and (for a manager) what givers shared with
    them about their reports: what they are allowed to see by definition."""
    t, session, org_id = turn.t, turn.session, turn.org.id
    received = await feedback.received(session, org_id=org_id, person_id=turn.person.id)
    given = await feedback.given(session, org_id=org_id, person_id=turn.person.id)
    shared = await feedback.shared_with(session, org_id=org_id, person_id=turn.person.id)
    names = await people.names(
        session, org_id=org_id, person_ids={i for f in [*received, *given, *shared] for i in _people(f)}
    )
    sections = [("feedback.list_received", "feedback.line_received", received)]
    sections.append(("feedback.list_given", "feedback.line_given", given))
    if shared:  # only managers have any; others are not shown an empty heading
        sections.append(("feedback.list_shared", "feedback.line_shared", shared))
    parts = []
    for heading, line, items in sections:
        lines = [_line(t, line, item, names, day=turn.day_of(item.created_at)) for item in items]
        parts += [Text(text=t(heading)), Text(text="\n".join(lines) or t("feedback.list_empty"))]
    return Reply(parts=tuple(parts), summary=t("feedback.list_received"))


def _people(item: Feedback) -> tuple[int, int]:
    return item.giver_id, item.recipient_id


def _line(t, key: str, item: Feedback, names: dict[int, str], *, day: date) -> str:
    day = format_day(t, day)
    line = "• " + t(
        key, id=item.id, giver=names[item.giver_id], name=names[item.recipient_id], day=day, text=item.text
    )
    return f"{line}\n{t('feedback.line_reply', reply=item.reply)}" if item.reply else line
