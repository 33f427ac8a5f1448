"""Where a DM line or an answer button goes when a person has several forms in progress.

Typed text always goes to the form whose question was shown last (the open one: `bot.forms.queue`),
and the reply names that form. A button answers its own form, open or waiting: pressing it brings
that form forward. `later` and `switch` move between forms at any step. When the open form is
finished, cancelled or closes, the one waiting longest is shown next.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.events import Action, Message
from bot.forms import queue
from bot.forms.session import Audience, FormRunner, vocabulary
from bot.replies import Context, FormQuestion, Part, Reply, Text
from bot.turn import Turn
from store import forms
from store.checkin_models import FormSession


class Conversations:
    """Every form's runner by form key, and the one way lines and presses reach them."""

    def __init__(self, *, runners: dict[str, FormRunner]) -> None:
        self.runners = runners

    async def on_message(self, turn: Turn) -> Reply | None:
        """A DM line: `later` / `switch`, else the answer to the open form. None when the person has
        no form in progress (the line is not for a form)."""
        event = turn.event
        assert isinstance(event, Message)
        if event.channel is not None and not event.channel.is_dm:
            return None
        live = await forms.live_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
        if not live:
            return None
        word = vocabulary(turn.catalogue).meaning(event.text)
        if word in queue.STEERING:
            return await self._steer(turn, live, word)
        if live[0].status != "open":  # all set aside with `later`: nothing was asked last
            to = Audience.of_turn(turn)
            return _still_waiting(to, *_drop_closed(live, to))
        return await self._answer(turn, live[0], event.text)

    async def on_action(self, turn: Turn) -> Reply:
        """A pressed option answers its own form, if that step is still the current one; the form
        becomes the one being answered, and the one that was waits."""
        event = turn.event
        assert isinstance(event, Action)
        ref, _, value = event.value.partition("/")
        session_id, _, step = ref.partition(":")
        if not (session_id.isdigit() and step.isdigit()):
            raise UserError("forms.already_answered")
        row = await forms.by_id(turn.session, org_id=turn.org.id, session_id=int(session_id))
        if row is None or row.person_id != turn.person.id:
            raise UserError("forms.already_answered")
        if row.status not in forms.LIVE or row.step != int(step):
            return Reply.text(turn.t("forms.already_answered"))
        aside = None
        if row.status != "open":
            aside = await queue.bring_forward(turn.session, row=row, now=turn.clock.now())
        return queue.with_aside(turn.t, await self._answer(turn, row, value), aside)

    async def still_open(self, turn: Turn, reply: Reply) -> Reply:
        """After a command in a DM while a form is open, unless the reply shows a form's question
        itself: the open form's question, so the person knows their next line answers it."""
        channel = turn.event.channel
        if (channel is not None and not channel.is_dm) or any(isinstance(p, FormQuestion) for p in reply.parts):
            return reply
        live = await forms.live_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
        if not live or live[0].status != "open":
            return reply
        row = live[0]
        shown = await self.runners[row.form_key].question(Audience.of_turn(turn), row)
        question = next(p for p in shown.parts if isinstance(p, FormQuestion))
        line = turn.t(
            "forms.queue.still_open",
            label=queue.label(turn.t, row.form_key),
            progress=question.progress,
            question=question.text,
        )
        return Reply(parts=(*reply.parts, Context(text=line)), summary=reply.summary)

    async def next_up(self, to: Audience) -> list[Part]:
        """Once no form is open: the one waiting longest is, and its current question is shown (after
        a line for each that closed while it waited). The parts to show; none when nothing waits."""
        live = await forms.live_for(to.session, org_id=to.person.org_id, person_id=to.person.id)
        waiting, closed = _drop_closed(live, to)
        if not waiting or waiting[0].status == "open":
            return closed
        row = waiting[0]
        await queue.bring_forward(to.session, row=row, now=to.now)
        before = (to.t("forms.queue.next", label=queue.label(to.t, row.form_key)),)
        reply = await self.runners[row.form_key].question(to, row, before=before)
        return [*closed, *reply.parts]

    async def _answer(self, turn: Turn, row: FormSession, text: str) -> Reply:
        """The line applied to the form, the reply named after it; the next form if it was the last."""
        reply = queue.named(turn.t, row, await self.runners[row.form_key].step(turn, row, text))
        if row.status == "open":
            return reply
        following = await self.next_up(Audience.of_turn(turn))
        return Reply(parts=(*reply.parts, *following), summary=reply.summary)

    async def _steer(self, turn: Turn, live: list[FormSession], word: str) -> Reply:
        """`switch`: the form the person was last told is waiting comes up, and the open one waits.
        `later`: the open one waits behind the others, and the one waiting longest comes up; with
        nothing else waiting, the open form is put aside until the person switches back to it."""
        to = Audience.of_turn(turn)
        active = live[0] if live[0].status == "open" else None
        waiting, closed = _drop_closed(live[1:] if active else live, to)
        if waiting and (active is not None or word == "switch"):
            return await self._switch(to, waiting, closed, word)
        if active is None:
            return _still_waiting(to, waiting, closed)
        if word == "switch":
            before = (*_texts(closed), to.t("forms.queue.only_one"))
            return await self.runners[active.form_key].question(to, active, before=before)
        await queue.set_aside(to.session, row=active, now=to.now)
        label, until = queue.label(to.t, active.form_key), queue.until(to.t, active, to.timezone)
        return _lines([*closed, Text(text=to.t("forms.queue.later", label=label, until=until))])

    async def _switch(self, to: Audience, waiting: list[FormSession], closed: list[Text], word: str) -> Reply:
        target = waiting[-1] if word == "switch" else waiting[0]
        aside = await queue.bring_forward(to.session, row=target, now=to.now)
        before = (*_texts(closed), to.t("forms.queue.now", label=queue.label(to.t, target.form_key)))
        reply = await self.runners[target.form_key].question(to, target, before=before)
        return queue.with_aside(to.t, reply, aside)


def _still_waiting(to: Audience, waiting: list[FormSession], closed: list[Text]) -> Reply:
    """While every form waits (set aside with `later`), a line typed gets what waits and how to go on."""
    labels = [queue.label(to.t, row.form_key) for row in waiting]
    if labels:
        closed = [
            *closed,
            Text(text=to.t("forms.queue.none_open", labels=to.t.join(labels), first=labels[-1])),
        ]
    return _lines(closed)


def _drop_closed(rows: list[FormSession], to: Audience) -> tuple[list[FormSession], list[Text]]:
    """The waiting forms still open for answers, and a line for each that closed while it waited
    (marked expired here: its own expiry work then has nothing left to say)."""
    still, closed = [], []
    for row in rows:
        if row.status == "waiting" and row.expires_at <= to.now:
            queue.expire(row, now=to.now)
            closed.append(Text(text=queue.expired_line(to.t, row, timezone=to.timezone, waited=True)))
        else:
            still.append(row)
    return still, closed


def _texts(parts: list[Text]) -> tuple[str, ...]:
    return tuple(part.text for part in parts)


def _lines(parts: list[Text]) -> Reply:
    return Reply(parts=tuple(parts), summary=parts[0].text if parts else "")
