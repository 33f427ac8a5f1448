"""The manager's preparation: `/review digest|read|example|questions|draft @alice`."""

from __future__ import annotations

from collections.abc import Mapping

from bot.errors import UserError
from bot.evidence import Source
from bot.features.reviews import agenda, digest
from bot.features.reviews.common import audit_view, open_form, own_meeting, report_meeting
from bot.features.reviews.evidence import gather, self_review_of
from bot.features.reviews.forms import ACTION_ID, DRAFT, SELF_REVIEW
from bot.features.reviews.jobs import open_self_review
from bot.forms import queue
from bot.forms.render import summary
from bot.forms.session import first_question
from bot.replies import Reply, Text
from bot.turn import Turn
from store import review_records

MAX_EXAMPLES = digest.EXAMPLES[1]


async def show_digest(turn: Turn, text: str, *, sources: Mapping[str, Source]) -> Reply:
    """The digest now, whenever the manager wants it (it is also sent before the meeting)."""
    meeting, employee, _ = await report_meeting(turn, text, usage="/review digest @alice")
    reply = await digest.build(
        turn.session,
        sources=sources,
        t=turn.t,
        meeting=meeting,
        employee=employee,
        manager=turn.person,
        now=turn.clock.now(),
    )
    if reply is None:
        raise UserError("review_prep.not_manager", name=employee.display_name)
    await audit_view(turn, action="view_digest", about=employee, detail={"meeting": meeting.id})
    return reply


async def read(turn: Turn, text: str) -> Reply:
    """Show her self-review to her manager, and tick "self-review read"."""
    meeting, employee, _ = await report_meeting(turn, text, usage="/review read @alice")
    row = await self_review_of(turn.session, meeting=meeting)
    if row is None or row.completed_at is None:
        raise UserError("review_prep.no_self_review", name=employee.display_name)
    prep = await review_records.prep_for_update(
        turn.session, org_id=turn.org.id, meeting_id=meeting.id, now=turn.clock.now()
    )
    prep.self_review_read_at = turn.clock.now()
    await audit_view(turn, action="view_self_review", about=employee, detail={"meeting": meeting.id})
    lines = [
        turn.t("review_prep.self_review", name=employee.display_name),
        *summary(turn.t, SELF_REVIEW, row.answers),
    ]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


async def example(turn: Turn, text: str) -> Reply:
    """Note a concrete example to bring to the meeting (three to five make a good conversation)."""
    meeting, employee, rest = await report_meeting(turn, text, usage="/review example @alice ...")
    if not rest:
        raise UserError("review_prep.example_empty", handle=employee.handle or "")
    prep = await review_records.prep_for_update(
        turn.session, org_id=turn.org.id, meeting_id=meeting.id, now=turn.clock.now()
    )
    if len(prep.examples) >= MAX_EXAMPLES:
        raise UserError("review_prep.too_many_examples", max=MAX_EXAMPLES)
    prep.examples = [*prep.examples, rest]
    return Reply.text(
        turn.t("review_prep.example_noted", count=len(prep.examples), name=employee.display_name)
    )


async def questions(turn: Turn, text: str, *, sources: Mapping[str, Source]) -> Reply:
    """Prepare an open question of one's own, or (with no text) take the digest's suggestions."""
    meeting, employee, rest = await report_meeting(turn, text, usage="/review questions @alice")
    now = turn.clock.now()
    prep = await review_records.prep_for_update(
        turn.session, org_id=turn.org.id, meeting_id=meeting.id, now=now
    )
    if rest:
        prep.questions = [*prep.questions, rest]
    else:
        evidence = await gather(
            turn.session, sources=sources, meeting=meeting, employee=employee, manager=turn.person, now=now
        )
        suggested = agenda.questions(turn.t, evidence, agenda.rank(turn.t, evidence))
        prep.questions = [*prep.questions, *(q for _, q in suggested if q not in prep.questions)]
    lines = [turn.t("review_prep.questions", count=len(prep.questions)), *(f"• {q}" for q in prep.questions)]
    return Reply(parts=(Text(text="\n".join(lines)),), summary=lines[0])


async def draft(turn: Turn, text: str) -> Reply:
    """The manager's own short evaluation draft, seen by nobody else."""
    meeting, employee, _ = await report_meeting(turn, text, usage="/review draft @alice")
    row, aside = await open_form(turn, form=DRAFT, meeting=meeting, expires_at=meeting.starts_at)
    intro = turn.t("review_forms.draft.intro", name=employee.display_name)
    return queue.with_aside(
        turn.t, first_question(turn.t, DRAFT, row, before=(intro,), action_id=ACTION_ID), aside
    )


async def own_self_review(turn: Turn, text: str, *, sources: Mapping[str, Source]) -> Reply:
    """`/review self`: the employee opens (or resumes) her self-review before it is sent to her."""
    meeting = await own_meeting(turn)
    intro = turn.t("review_forms.self.started")
    return await open_self_review(
        turn.session,
        sources=sources,
        t=turn.t,
        meeting=meeting,
        employee=turn.person,
        now=turn.clock.now(),
        intro=intro,
        asked=True,
    )
