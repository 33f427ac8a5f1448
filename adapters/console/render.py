"""Replies as plain text, one renderer per part type."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.replies import Buttons, Choices, Context, File, FormQuestion, Reply, Section, Text

_BOLD = re.compile(r"\*([^*\n]+)\*")


def _text(part: Text) -> str:
    return _BOLD.sub(r"\1", part.text)


def _section(part: Section) -> str:
    return "\n".join([_BOLD.sub(r"\1", part.text), *(f"  {f.label}: {f.value}" for f in part.fields)])


def _buttons(part: Buttons) -> str:
    return "  ".join(f"[{b.label}]" for b in part.buttons)


def _choices(part: Choices) -> str:
    return "  ".join(f"[{o.value}] {o.label}" for o in part.options)


def _context(part: Context) -> str:
    return _BOLD.sub(r"\1", part.text)


def _form_question(part: FormQuestion) -> str:
    # The console answers by typing, so each option shows what to type for it.
    lines = [f"({part.progress}) {part.text}" if part.progress else part.text]
    if part.options:
        lines.append("  ".join(f"[{o.value}] {o.label}" for o in part.options))
    if part.hint:
        lines.append(part.hint)
    return "\n".join(lines)


def _file(part: File) -> str:
    return f"📎 {part.name} ({len(part.content.encode('utf-8'))} bytes)"


RENDERERS: dict[type, Callable] = {
    Text: _text,
    Section: _section,
    Buttons: _buttons,
    Choices: _choices,
    Context: _context,
    FormQuestion: _form_question,
    File: _file,
}


def render(reply: Reply) -> str:
    return "\n".join(RENDERERS[type(part)](part) for part in reply.parts)
