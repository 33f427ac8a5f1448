"""Errors a person can cause. The router turns them into a polite reply in the person's language."""

from __future__ import annotations

from bot.i18n import Messages


class UserError(Exception):
    """A mistake by the person acting: a catalogue key and its parameters, never a raw English string."""

    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        """`field` names the input the mistake is in, when the event was a submitted form (an Action
        with values): adapters that can show the error beside that input do."""
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def explain(self, t: Messages) -> str:
        """The refusal in `t`'s language. A day among the parameters (a date read from what the
        person typed, say) is written as people read it there, "Fri 5 Dec 2026" or "2026年12月5日（周五）"."""
        return t(self.key, **self.params)
