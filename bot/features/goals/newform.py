"""`/goal new`: an objective set up as a conversation, one question at a time: what it is, by when,
whether it sits under a team or company goal, then its key results one by one until `done`."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from bot.dates import parse_day
from bot.errors import UserError
from bot.features.goals import create
from bot.features.goals.common import MAX_KEY_RESULTS, check_title, load, objective_ref, refuse_closed
from bot.features.goals.stepform import StepForm
from bot.forms import queue
from bot.forms.render import ANSWER_ACTION
from bot.forms.session import Audience
from bot.replies import FormQuestion, Reply, Text
from bot.turn import Turn
from bot.workdays import person_zone
from store import forms, goals
from store.checkin_models import FormSession

FORM_KEY = "goal_new"
TITLE, DUE, UNDER, KEY_RESULTS = range(4)
QUESTIONS = ("goal.new_q_title", "goal.new_q_due", "goal.new_q_under", "goal.new_q_kr")
_DONE = ("done", "完成", "好了")
OPEN_FOR = timedelta(days=1)


async def start(turn: Turn, _text: str) -> Reply:
    """Start a new goal, or carry on with the one being set up (one at a time)."""
    now = turn.clock.now()
    live = await forms.live_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
    started = next((row for row in live if row.form_key == FORM_KEY and row.expires_at > now), None)
    if started is not None:
        aside = await queue.bring_forward(turn.session, row=started, now=now)
        reply = await _ask(Audience.of_turn(turn), started, before=(turn.t("goal.new_resume"),))
        return queue.with_aside(turn.t, reply, aside)
    row = await forms.create_session(
        turn.session,
        org_id=turn.org.id,
        person_id=turn.person.id,
        form_key=FORM_KEY,
        version=0,
        subject=f"new:{now.isoformat()}:{uuid4().hex[:8]}",  # any number of goals, one after another
        step=TITLE,
        answers={"key_results": []},
        expires_at=now + OPEN_FOR,
        now=now,
    )
    aside = await queue.bring_forward(turn.session, row=row, now=now)
    reply = await _ask(Audience.of_turn(turn), row, before=(turn.t("goal.new_intro"),))
    return queue.with_aside(turn.t, reply, aside)


class NewGoalForm(StepForm):
    key = FORM_KEY
    help_key = "goal.new_help"

    async def ask(self, to: Audience, row: FormSession, *, before: tuple[str, ...]) -> Reply:
        return await _ask(to, row, before=before)

    async def back(self, turn: Turn, row: FormSession) -> Reply:
        answers = dict(row.answers)
        step = row.step
        if step == KEY_RESULTS and answers["key_results"]:
            answers["key_results"] = answers["key_results"][:-1]  # back: the last key result is undone
        else:
            step -= 1
        forms.save(row, step=step, answers=answers, status="open", now=turn.clock.now())
        return await _ask(Audience.of_turn(turn), row, before=())

    async def answer(self, turn: Turn, row: FormSession, text: str | None) -> Reply:
        answers = dict(row.answers)
        if row.step == TITLE:
            if text is None:
                raise UserError("forms.required")
            check_title(text.strip())
            answers["title"] = text.strip()
        elif row.step == DUE:
            local = turn.clock.now().astimezone(person_zone(turn.person, turn.org))
            answers["due"] = parse_day(text, now=local).isoformat() if text else None
        elif row.step == UNDER:
            answers["under"] = await _under(turn, text) if text else None
        elif text is None or text.strip().lower() in _DONE:
            return await _finish(turn, row, answers)
        else:
            fields = create.key_result_fields(text.strip())
            check_title(fields["title"])
            answers["key_results"] = [*answers["key_results"], fields]
            if len(answers["key_results"]) >= MAX_KEY_RESULTS:
                return await _finish(turn, row, answers)
        forms.save(
            row, step=min(row.step + 1, KEY_RESULTS), answers=answers, status="open", now=turn.clock.now()
        )
        return await _ask(Audience.of_turn(turn), row, before=())


async def _under(turn: Turn, text: str) -> int:
    loaded = await load(turn, objective_ref(text)[0], to_change=False)
    refuse_closed(turn, loaded.objective)
    return loaded.objective.id


async def _finish(turn: Turn, row: FormSession, answers: dict) -> Reply:
    if not answers["key_results"]:
        raise UserError("goal.new_needs_kr")
    parent = answers.get("under") and await goals.objective_by_id(
        turn.session, org_id=turn.org.id, objective_id=answers["under"]
    )
    due = answers.get("due")
    objective = await create.write(
        turn,
        title=answers["title"],
        owner=turn.person,
        level="person",
        parent=parent or None,
        due=date.fromisoformat(due) if due else None,
    )
    for fields in answers["key_results"]:
        await goals.add_key_result(
            turn.session, org_id=turn.org.id, objective=objective, now=turn.clock.now(), **fields
        )
    forms.save(row, step=row.step, answers=answers, status="done", now=turn.clock.now())
    text = create.confirmation(turn, objective, turn.person, parent or None).rsplit("\n", 1)[0]
    count = len(answers["key_results"])
    return Reply.text(text + "\n" + turn.t("goal.new_done", count=count, id=objective.id))


async def _ask(to: Audience, row: FormSession, *, before: tuple[str, ...]) -> Reply:
    t = to.t
    done = len(row.answers.get("key_results", []))
    text = t(QUESTIONS[row.step], n=done + 1, max=MAX_KEY_RESULTS)
    part = FormQuestion(
        text=text,
        action_id=ANSWER_ACTION,
        ref=f"{row.id}:{row.step}",
        progress=f"{row.step + 1}/4",
        hint=t("goal.new_hint_kr" if row.step == KEY_RESULTS else "goal.new_hint"),
    )
    return Reply(parts=(*(Text(text=line) for line in before), part), summary=part.text)


def runner() -> NewGoalForm:
    return NewGoalForm()
