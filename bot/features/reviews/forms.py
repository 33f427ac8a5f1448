"""The review's conversational forms: self-review, the manager's draft, the meeting record, the pulse.

They run on the form engine like check-ins, but answer through their own action id, and the
self-review shows, under each question, what the employee said about it in her check-ins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.answers import says_something
from bot.evidence import Period, Source
from bot.features.reviews.agenda import short_day
from bot.features.reviews.evidence import CHECKIN_FORM, DRAFT_FORM, SELF_REVIEW_FORM, period_start
from bot.features.reviews.proposals import proposals
from bot.forms import engine
from bot.forms.definition import FormDefinition, Question
from bot.forms.render import ask
from bot.forms.session import Audience, FormRunner, vocabulary
from bot.numbers import as_id
from bot.replies import Context, Reply, Text
from bot.turn import Turn
from store import forms as store_forms
from store import review_evidence, review_records
from store.checkin_models import FormSession
from store.models import Organisation
from store.review_models import ReviewMeeting

ACTION_ID = "review:answer"
NOTES_FORM, PULSE_FORM = "review_notes", "review_pulse"
REMINDED = {  # self-review question → the check-in answers that remind her of it
    "achievements": ("priorities", "went_well"),
    "difficulties": ("hard", "blocker"),
    "learned": ("learned",),
    "expectations": ("for_manager",),
    "support": ("for_manager",),
}
SHOWN = 3


def _text(form: str, qid: str, *, required: bool = True, max_length: int = 2000) -> Question:
    return Question(
        id=qid, kind="text", text_key=f"review_forms.{form}.{qid}", required=required, max_length=max_length
    )


SELF_REVIEW = FormDefinition(
    key=SELF_REVIEW_FORM,
    version=0,
    title_key="review_forms.self.title",
    questions=(
        _text("self", "achievements"),
        _text("self", "difficulties"),
        _text("self", "learned"),
        _text("self", "expectations"),
        _text("self", "support", required=False),
        _text("self", "background"),
        _text("self", "event"),
        _text("self", "self_assessment"),
        _text("self", "target"),
    ),
)
DRAFT = FormDefinition(
    key=DRAFT_FORM,
    version=0,
    title_key="review_forms.draft.title",
    questions=(
        _text("draft", "strengths"),
        _text("draft", "improve"),
        _text("draft", "overall", required=False),
    ),
)
NOTES = FormDefinition(
    key=NOTES_FORM,
    version=0,
    title_key="review_forms.notes.title",
    questions=(
        _text("notes", "goals"),
        _text("notes", "process"),
        _text("notes", "lessons"),
        _text("notes", "development"),
        _text("notes", "next_goals", required=False),
        _text("notes", "development_goals", required=False),
        _text("notes", "actions"),
        _text("notes", "support", required=False),
    ),
)
PULSE = FormDefinition(
    key=PULSE_FORM,
    version=0,
    title_key="review_forms.pulse.title",
    unfinished_discarded=True,
    questions=(
        Question(id="room", kind="yesno", text_key="review_forms.pulse.room"),
        Question(id="next_steps", kind="yesno", text_key="review_forms.pulse.next_steps"),
        Question(
            id="useful",
            kind="scale",
            text_key="review_forms.pulse.useful",
            labels_key="review_forms.pulse.labels",
        ),
    ),
)


def review_forms() -> dict[str, FormDefinition]:
    return {form.key: form for form in (SELF_REVIEW, DRAFT, NOTES, PULSE)}


# Checks an answer before the engine takes it (a UserError refuses it); returns the answer to keep.
Check = Callable[[Turn, FormSession, str], Awaitable[str]]


# Reads a form's answers again as it is about to finish: None, or the question to ask again and why.
Final = Callable[[Turn, FormSession, dict[str, Any]], Awaitable[tuple[str, str] | None]]


class ReviewForms(FormRunner):
    """The runner for review forms: runs `checks` that need the database (who owns an action) on an
    answer before the engine takes it (what a check returns is the answer kept, the people it names
    resolved), and `finals` on the answers of a form about to finish (an answer that no longer holds
    then, a date passed since, is asked back on its step, every answer kept); says a step's own help
    (`<question>_help` in the catalogue) after the form's; shows a self-review question with her
    reminders."""

    def __init__(
        self,
        *,
        checks: dict[tuple[str, str], Check],
        sources: Mapping[str, Source],
        finals: Mapping[str, Final] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.checks, self.sources, self.finals = checks, sources, finals or {}

    async def step(self, turn: Turn, row: FormSession, text: str) -> Reply:
        form = self.builtins[row.form_key]
        question = form.questions[row.step]
        meaning = vocabulary(turn.catalogue).meaning(text)
        check = self.checks.get((row.form_key, question.id))
        if check is not None and meaning is None:
            text = await check(turn, row, text)  # a UserError leaves the session on this step
        asked_back = await self._final(turn, row, form, text)
        reply = asked_back or await super().step(turn, row, text)
        if row.status != "open":
            return reply
        step_help = f"{question.text_key}_help"
        if meaning == "help" and question.text_key and turn.catalogue.has(step_help):
            parts = (reply.parts[0], Text(text=turn.t(step_help)), *reply.parts[1:])
            reply = Reply(parts=parts, summary=reply.summary)
        return await with_reminders(Audience.of_turn(turn), row, reply, sources=self.sources)

    async def _final(self, turn: Turn, row: FormSession, form: FormDefinition, text: str) -> Reply | None:
        """When `text` finishes the form and `finals` finds an answer that no longer holds: the session
        back on that answer's step, with every answer (this one too) and why; else None."""
        final = self.finals.get(row.form_key)
        if final is None or row.expires_at <= turn.clock.now():
            return None
        state = engine.State(step=row.step, answers=dict(row.answers))
        outcome = engine.apply(form, state, text, vocabulary=vocabulary(turn.catalogue))
        back = outcome.status == "done" and await final(turn, row, outcome.state.answers)
        if not back:
            return None
        question_id, problem = back
        step = next(i for i, q in enumerate(form.questions) if q.id == question_id)
        answers = outcome.state.answers
        store_forms.save(row, step=step, answers=answers, status="open", now=turn.clock.now())
        return ask(
            turn.t,
            form,
            session_id=row.id,
            step=step,
            answers=answers,
            before=(problem,),
            action_id=self.action_id,
        )

    async def question(self, to: Audience, row: FormSession, *, before: tuple[str, ...] = ()) -> Reply:
        reply = await super().question(to, row, before=before)
        return await with_reminders(to, row, reply, sources=self.sources)


async def with_reminders(
    to: Audience, row: FormSession, reply: Reply, *, sources: Mapping[str, Source]
) -> Reply:
    """A self-review question with, under it, what she said about it in her check-ins; under the
    first, what the features registered for the self-review (`router.evidence(..., self_review=True)`:
    her goals) sum up. A question of the meeting's record with what the features propose for it (her
    goals, her development plan: `proposals`). The question of any other form as it is."""
    if row.form_key == NOTES_FORM:
        question_id = NOTES.questions[row.step].id
        lines = await proposals(to, row=row, question_id=question_id, sources=sources)
    elif row.form_key == SELF_REVIEW_FORM:
        question_id = SELF_REVIEW.questions[row.step].id
        lines = await reminders(to, row=row, question_id=question_id, sources=sources)
    else:
        return reply
    return Reply(parts=(*reply.parts, *(Context(text=line) for line in lines)), summary=reply.summary)


async def reminders(
    to: Audience, *, row: FormSession, question_id: str, sources: Mapping[str, Source]
) -> list[str]:
    """What she said in her check-ins of the period about this question (the latest few)."""
    session, t, now, tz = to.session, to.t, to.now, ZoneInfo(to.timezone)
    fields = REMINDED.get(question_id)
    meeting_id = as_id(row.subject.removeprefix("review:"))
    meeting = meeting_id and await review_records.meeting(session, org_id=row.org_id, meeting_id=meeting_id)
    if not fields or not meeting:
        return []
    since, _ = await period_start(session, meeting=meeting)
    done = await review_evidence.finished_forms(
        session, org_id=row.org_id, person_id=row.person_id, form_key=CHECKIN_FORM, since=since, until=now
    )
    said = [(s.completed_at, s.answers[f]) for s in done for f in fields if says_something(s.answers.get(f))]
    summed = (
        await _summaries(to, meeting=meeting, since=since, tz=tz, sources=sources)
        if question_id == "achievements"
        else []
    )
    return summed + [
        t("review_forms.self.you_said", day=short_day(t, when.astimezone(tz).date()), text=text)
        for when, text in said[-SHOWN:]
    ]


async def _summaries(
    to: Audience, *, meeting: ReviewMeeting, since: datetime, tz: ZoneInfo, sources: Mapping[str, Source]
) -> list[str]:
    """Issue 18: her goals of the period and their state (what the self-review's sources sum up)."""
    org = await to.session.get(Organisation, meeting.org_id)
    assert org is not None
    period = Period(
        session=to.session,
        org=org,
        meeting=meeting,
        employee=to.person,
        reader=to.person,
        since=since,
        until=to.now,
        now=to.now,
        tz=tz,
    )
    today, lines = to.now.astimezone(tz).date(), []
    for source in sources.values():
        if source.self_review:
            for piece in (await source.gather(period)).values():
                lines += piece.summary(to.t, today=today)
    return lines
