"""The goals step of the weekly check-in: once the check-in is answered, one short question per open key
result of the person ("Migrate customers: 12 of 40 customers, on track. New value?"), answered with
`25`, `25 7` (a confidence too), `same`, `skip` or `done`. It is a form of its own (`goal_checkin`) that
comes right after the check-in, so that `later`, `switch`, `back`, `cancel` and `help` work as in every
form; its state is the list of key results to ask about and the step reached."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.features.goals import progress
from bot.features.goals.common import load, number, read_number
from bot.features.goals.stepform import StepForm
from bot.features.goals.view import kr_status
from bot.forms import queue
from bot.forms.render import ANSWER_ACTION
from bot.forms.session import Audience
from bot.i18n import Messages
from bot.replies import FormQuestion, Reply, Text
from bot.turn import Turn
from store import forms, goals
from store.checkin_models import FormSession
from store.goal_models import KeyResult, Objective

FORM_KEY = "goal_checkin"
_SAME = ("same", "unchanged", "不变", "没变", "一样")
_DONE = ("done", "reached", "完成", "已完成", "达成")


async def offer_step(turn: Turn, checkin: FormSession) -> None:
    """Queue the goals step after a finished check-in, when the person has open key results (once per
    check-in: changing the check-in's answers later does not ask again)."""
    subject = f"goals:{checkin.subject}"
    found = await forms.by_subject(
        turn.session, org_id=turn.org.id, person_id=turn.person.id, form_key=FORM_KEY, subject=subject
    )
    results = await open_key_results(turn, person_id=turn.person.id)
    if found is not None or not results:
        return
    live = await forms.live_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
    row = await forms.create_session(
        turn.session,
        org_id=turn.org.id,
        person_id=turn.person.id,
        form_key=FORM_KEY,
        version=0,
        subject=subject,
        step=0,
        answers={"key_results": [kr.id for _, kr in results]},
        expires_at=checkin.expires_at,
        now=turn.clock.now(),
    )
    row.queued = max((other.queued for other in live), default=0) + 1
    await queue.watch(turn.session, rows=(row,), now=turn.clock.now())


async def open_key_results(turn: Turn, *, person_id: int) -> list[tuple[Objective, KeyResult]]:
    """The person's open key results, objective by objective."""
    objectives = await goals.objectives(
        turn.session, org_id=turn.org.id, owner_ids=[person_id], statuses=("open",)
    )
    by_id = {o.id: o for o in objectives}
    found = await goals.key_results(turn.session, org_id=turn.org.id, objective_ids=list(by_id))
    return [(by_id[kr.objective_id], kr) for kr in found if kr.status == "open"]


class GoalCheckinRunner(StepForm):
    """The goals step of the check-in: one question per key result, in `answers["key_results"]`."""

    key = FORM_KEY
    help_key = "goal.checkin_help"

    async def ask(self, to: Audience, row: FormSession, *, before: tuple[str, ...]) -> Reply:
        return await _ask(to, row, before=before)

    async def back(self, turn: Turn, row: FormSession) -> Reply:
        return await _move(turn, row, step=row.step - 1, said=())

    async def answer(self, turn: Turn, row: FormSession, text: str | None) -> Reply:
        said = await _answer(turn, row.answers["key_results"][row.step], text) if text is not None else ()
        return await _move(turn, row, step=row.step + 1, said=said)


async def _move(turn: Turn, row: FormSession, *, step: int, said: tuple[str, ...]) -> Reply:
    now = turn.clock.now()
    if step >= len(row.answers["key_results"]):
        forms.save(row, step=row.step, answers=row.answers, status="done", now=now)
        lines = (*said, turn.t("goal.checkin_done"))
        return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[-1])
    forms.save(row, step=step, answers=row.answers, status="open", now=now)
    return await _ask(Audience.of_turn(turn), row, before=said)


async def _answer(turn: Turn, key_result_id: int, text: str) -> tuple[str, ...]:
    """Apply one answer to its key result: what to say about it before the next question."""
    loaded, result = await _load(turn, key_result_id)
    if loaded is None or result.status != "open":
        return ()
    first, _, rest = text.strip().partition(" ")
    lowered = first.lower()
    if lowered in _DONE:
        reply = await progress.finish(turn, loaded, result, note=rest.strip() or None)
    elif result.kind == "milestone":
        raise UserError("goal.checkin_milestone")
    else:
        value = result.current_value if lowered in _SAME else read_number(first)
        confidence, note = progress.read_confidence_and_note(rest)
        reply = await progress.apply(turn, loaded, result, value=value, confidence=confidence, note=note)
    return (reply.plain_text(),)


async def _load(turn: Turn, key_result_id: int):
    result = await goals.key_result_by_id(turn.session, org_id=turn.org.id, key_result_id=key_result_id)
    if result is None:
        return None, None
    try:
        return await load(turn, result.objective_id, to_change=True), result
    except UserError:  # no longer theirs to change (moved to someone else since)
        return None, result


async def _ask(to: Audience, row: FormSession, *, before: tuple[str, ...]) -> Reply:
    ids = row.answers["key_results"]
    result = await goals.key_result_by_id(to.session, org_id=row.org_id, key_result_id=ids[row.step])
    objective = result and await goals.objective_by_id(
        to.session, org_id=row.org_id, objective_id=result.objective_id
    )
    today = to.now.astimezone(ZoneInfo(to.timezone)).date()
    text = _state(to.t, objective, result, today=today) if objective else to.t("goal.checkin_gone")
    part = FormQuestion(
        text=text,
        action_id=ANSWER_ACTION,
        ref=f"{row.id}:{row.step}",
        progress=f"{row.step + 1}/{len(ids)}",
        hint=to.t("goal.checkin_hint"),
    )
    parts = (*(Text(text=line) for line in before), part)
    return Reply(parts=parts, summary=part.text)


def _state(t: Messages, objective: Objective, result: KeyResult, *, today) -> str:
    """ "Migrate customers: 12 of 40 customers, on track. New value? …"."""
    state = t(f"goal.state_{kr_status(objective, result, today)}")
    if result.kind == "milestone":
        return t("goal.checkin_milestone_question", title=result.title, state=state)
    unit = f" {result.unit}" if result.unit else ""
    return t(
        "goal.checkin_question",
        title=result.title,
        current=number(result.current_value),
        target=number(result.target_value),
        unit=unit,
        state=state,
    )


def runner() -> GoalCheckinRunner:
    return GoalCheckinRunner()
