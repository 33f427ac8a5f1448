"""Form sessions over the database: a DM line or a button press answers the current step.

All state is in the `form_session` row, read and written inside the turn's transaction, so a restart
between two answers loses nothing and two presses of one button answer once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.events import Action, Message
from bot.forms import engine
from bot.forms.definition import FormDefinition, from_dict
from bot.forms.render import ANSWER_ACTION, ask
from bot.i18n import LOCALES, Catalogue, Messages
from bot.replies import Reply
from bot.turn import Turn
from store import forms
from store.checkin_models import FormSession

Finisher = Callable[[Turn, FormSession, FormDefinition], Awaitable[Reply]]
# After an answer is taken and before the next question: lines to say first (an escalation made).
Listener = Callable[[Turn, FormSession], Awaitable[list[str]]]


def vocabulary(catalogue: Catalogue) -> engine.Vocabulary:
    """Control words and yes/no in every catalogue language."""
    meanings = (*engine.CONTROLS, engine.YES, engine.NO)
    return engine.Vocabulary.of(
        (meaning, catalogue.tables[locale][f"forms.words.{meaning}"])
        for locale in LOCALES
        for meaning in meanings
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

    async def on_message(self, turn: Turn) -> Reply | None:
        """A DM line answers the person's open form; None when no form is waiting for one."""
        event = turn.event
        assert isinstance(event, Message)
        if event.channel is not None and not event.channel.is_dm:
            return None
        row = await forms.open_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
        if row is None:
            return None
        return await self.step(turn, row, event.text)

    async def on_action(self, turn: Turn) -> Reply:
        """A pressed option: answers its step only if that step is still the current one."""
        event = turn.event
        assert isinstance(event, Action)
        ref, _, value = event.value.partition("/")
        session_id, _, step = ref.partition(":")
        if not (session_id.isdigit() and step.isdigit()):
            raise UserError("forms.already_answered")
        row = await forms.by_id(turn.session, org_id=turn.org.id, session_id=int(session_id))
        if row is None or row.person_id != turn.person.id:
            raise UserError("forms.already_answered")
        if row.status != "open" or row.step != int(step):
            return Reply.text(turn.t("forms.already_answered"))
        return await self.step(turn, row, value)

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
        new = outcome.state
        forms.save(row, step=new.step, answers=new.answers, status=outcome.status, now=now)
        if outcome.status == "cancelled":
            return Reply.text(turn.t("forms.cancelled"))
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
    """Open a session on the form's first question."""
    state = engine.start(form)
    return await forms.create_session(
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


def reopen(row: FormSession, form: FormDefinition, *, expires_at: datetime, now: datetime) -> None:
    """Open a finished or cancelled session again at its first question, keeping its answers."""
    state = engine.start(form, row.answers)
    forms.save(row, step=state.step, answers=state.answers, status="open", now=now)
    row.expires_at = expires_at


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
