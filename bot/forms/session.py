"""Form sessions over the database: a DM line or a button press answers the current step.

All state is in the `form_session` row, read and written inside the turn's transaction, so a restart
between two answers loses nothing and two presses of one button answer once. Which session a line or
a press reaches is `bot.forms.conversations`'s to decide; which session is shown is `bot.forms.queue`'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.forms import engine, queue
from bot.forms.definition import FormDefinition, from_dict
from bot.forms.render import ANSWER_ACTION, ask
from bot.i18n import LOCALES, Catalogue, Messages
from bot.replies import Reply
from bot.turn import Turn
from store import forms
from store.checkin_models import FormSession
from store.models import Person

Finisher = Callable[[Turn, FormSession, FormDefinition], Awaitable[Reply]]
# After an answer is taken and before the next question: lines to say first (an escalation made).
Listener = Callable[[Turn, FormSession], Awaitable[list[str]]]


def vocabulary(catalogue: Catalogue) -> engine.Vocabulary:
    """Control words (steering between forms too) and yes/no in every catalogue language."""
    meanings = (*engine.CONTROLS, *queue.STEERING, engine.YES, engine.NO)
    return engine.Vocabulary.of(
        (meaning, catalogue.tables[locale][f"forms.words.{meaning}"])
        for locale in LOCALES
        for meaning in meanings
    )


@dataclass(frozen=True, kw_only=True)
class Audience:
    """Whom a form is shown to, and when: in a person's turn or from scheduled work alike."""

    session: AsyncSession
    t: Messages
    person: Person
    now: datetime
    timezone: str  # the person's, by the one rule (`bot.workdays.zone_name`)

    @classmethod
    def of_turn(cls, turn: Turn) -> Audience:
        return cls(
            session=turn.session,
            t=turn.t,
            person=turn.person,
            now=turn.clock.now(),
            timezone=turn.zone_for(turn.person),
        )


class FormRunner:
    """Runs the forms it is given: the built-in definitions by key, and what to do when one is done."""

    def __init__(
        self,
        *,
        builtins: dict[str, FormDefinition],
        finishers: dict[str, Finisher],
        listeners: dict[str, Listener] | None = None,
        action_id: str = ANSWER_ACTION,
    ) -> None:
        self.builtins = builtins
        self.finishers = finishers
        self.listeners = listeners or {}
        self.action_id = action_id

    async def definition(
        self, session: AsyncSession, *, org_id: int, key: str, version: int
    ) -> FormDefinition:
        """The form a session runs on: the built-in one (version 0) or an imported version."""
        if version == 0:
            return self.builtins[key]
        row = await forms.template(session, org_id=org_id, key=key, version=version)
        return from_dict(row.definition, version=version)

    async def current(self, session: AsyncSession, *, org_id: int, key: str) -> FormDefinition:
        """The version new sessions start on: the organisation's latest import, else the built-in."""
        row = await forms.latest_template(session, org_id=org_id, key=key)
        return from_dict(row.definition, version=row.version) if row else self.builtins[key]

    async def question(self, to: Audience, row: FormSession, *, before: tuple[str, ...] = ()) -> Reply:
        """The session's current question, as it is shown when the form comes up again (`switch`,
        or its turn after another form); a feature adds what its form shows with it."""
        form = await self.definition(
            to.session, org_id=row.org_id, key=row.form_key, version=row.template_version
        )
        answers: dict[str, Any] = dict(row.answers)
        return ask(
            to.t,
            form,
            session_id=row.id,
            step=row.step,
            answers=answers,
            before=before,
            action_id=self.action_id,
        )

    async def step(self, turn: Turn, row: FormSession, text: str) -> Reply:
        """Apply one line to the session's current step and say what comes next."""
        now = turn.clock.now()
        if row.expires_at <= now:
            forms.save(row, step=row.step, answers=row.answers, status="expired", now=now)
            return Reply.text(turn.t("forms.expired"))
        form = await self.definition(
            turn.session, org_id=turn.org.id, key=row.form_key, version=row.template_version
        )
        state = engine.State(step=row.step, answers=dict(row.answers))
        outcome = engine.apply(form, state, text, vocabulary=vocabulary(turn.catalogue))
        new, edit = outcome.state, forms.editing(row)
        forms.save(row, step=new.step, answers=new.answers, status=outcome.status, now=now)
        if outcome.status == "cancelled" and edit:
            return Reply.text(turn.t("forms.edit_cancelled"))
        if outcome.status == "cancelled":
            return Reply.text(turn.t("forms.cancelled", resume=turn.t(f"forms.resume.{row.form_key}")))
        if outcome.status == "done":
            return await self.finishers[row.form_key](turn, row, form)
        before: tuple[str, ...] = ()
        if outcome.problem:
            before = (turn.t(outcome.problem, **outcome.params),)
        elif outcome.help:
            before = (turn.t("forms.help"),)
        elif listener := self.listeners.get(row.form_key):
            before = tuple(await listener(turn, row))
        return ask(
            turn.t,
            form,
            session_id=row.id,
            step=new.step,
            answers=new.answers,
            before=before,
            action_id=self.action_id,
        )


async def start(
    session: AsyncSession,
    *,
    org_id: int,
    person_id: int,
    form: FormDefinition,
    subject: str,
    expires_at: datetime,
    now: datetime,
) -> FormSession:
    """A new session on the form's first question, waiting until `bot.forms.queue` shows it
    (`offer` when it comes due, `bring_forward` when the person asked for it)."""
    state = engine.start(form)
    row = await forms.create_session(
        session,
        org_id=org_id,
        person_id=person_id,
        form_key=form.key,
        version=form.version,
        subject=subject,
        step=state.step,
        answers=state.answers,
        expires_at=expires_at,
        now=now,
    )
    if form.unfinished_discarded:  # its close must run, to discard what was left unfinished
        await queue.watch(session, rows=(row,), now=now)
    return row


def reopen(row: FormSession, form: FormDefinition, *, expires_at: datetime, now: datetime) -> None:
    """Take a finished or cancelled session back to its first question, keeping its answers; the
    caller gives it its place (`bot.forms.queue`). A finished one keeps its answers as finished until
    the change is (`store.forms.save`)."""
    if row.status == "done":
        row.finished_answers = dict(row.answers)
    state = engine.start(form, row.answers)
    row.step, row.answers, row.expires_at, row.updated_at = state.step, state.answers, expires_at, now


def first_question(
    t: Messages,
    form: FormDefinition,
    row: FormSession,
    *,
    before: tuple[str, ...],
    action_id: str = ANSWER_ACTION,
) -> Reply:
    answers: dict[str, Any] = dict(row.answers)
    return ask(t, form, session_id=row.id, step=row.step, answers=answers, before=before, action_id=action_id)
