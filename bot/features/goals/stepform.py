"""A form whose questions are worked out as it goes (one per key result; a key result asked again until
`done`), run for `bot.forms.conversations` like a defined form: the steering words (`cancel`, `help`,
`back`, `skip`; `later` and `switch` are the desk's) mean what they mean in every form, a refusal is
said above the question asked again, and a form past its window closes."""

from __future__ import annotations

from bot.errors import UserError
from bot.forms.render import ANSWER_ACTION
from bot.forms.session import Audience, vocabulary
from bot.replies import Reply
from bot.turn import Turn
from store import forms
from store.checkin_models import FormSession


class StepForm:
    """Subclasses name their form `key` and `help_key`, and say how to ask, answer and go back."""

    key = ""
    help_key = ""
    action_id = ANSWER_ACTION

    @property
    def builtins(self) -> dict[str, None]:
        """The form it runs, by key (its questions are not a fixed definition)."""
        return {self.key: None}

    async def question(self, to: Audience, row: FormSession, *, before: tuple[str, ...] = ()) -> Reply:
        return await self.ask(to, row, before=before)

    async def step(self, turn: Turn, row: FormSession, text: str) -> Reply:
        now, t = turn.clock.now(), turn.t
        if row.expires_at <= now:
            forms.save(row, step=row.step, answers=row.answers, status="expired", now=now)
            return Reply.text(t("forms.expired"))
        word = vocabulary(turn.catalogue).meaning(text)
        if word == "cancel":
            forms.save(row, step=row.step, answers=row.answers, status="cancelled", now=now)
            return Reply.text(t("forms.cancelled", resume=t(f"forms.resume.{self.key}")))
        if word == "help":
            return await self.ask(Audience.of_turn(turn), row, before=(t(self.help_key),))
        if word == "back":
            if row.step == 0:
                return await self.ask(Audience.of_turn(turn), row, before=(t("forms.at_start"),))
            return await self.back(turn, row)
        try:
            return await self.answer(turn, row, None if word == "skip" else text)
        except UserError as error:
            return await self.ask(Audience.of_turn(turn), row, before=(error.explain(t),))

    async def ask(self, to: Audience, row: FormSession, *, before: tuple[str, ...]) -> Reply:
        raise NotImplementedError

    async def answer(self, turn: Turn, row: FormSession, text: str | None) -> Reply:
        """Take `text` (None: skipped) at the current step, or raise a UserError to ask again."""
        raise NotImplementedError

    async def back(self, turn: Turn, row: FormSession) -> Reply:
        raise NotImplementedError
