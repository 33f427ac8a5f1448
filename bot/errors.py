"""Errors a person can cause. The router turns them into a polite reply in the person's language."""

from __future__ import annotations


class UserError(Exception):
    """A mistake by the person acting: a catalogue key and its parameters, never a raw English string."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
