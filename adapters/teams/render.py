"""Replies as Adaptive Cards, one renderer per part type. Pure functions; plain JSON out.

Cards use schema 1.5 (what Teams renders on desktop and web) and never exceed Teams' message size:
a card that would is replaced by its plain text, cut to fit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from bot.replies import Buttons, Choices, Context, File, FormQuestion, Reply, Section, Text

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
# Teams refuses messages over about 28 KB; leave room for the activity around the card.
MAX_CARD_BYTES = 24_000
_TRUNCATED_TEXT_BYTES = 12_000  # JSON escaping can at most double it

_BOLD = re.compile(r"\*([^*\n]+)\*")
_STYLES = {"primary": "positive", "danger": "destructive"}

Element = dict[str, Any]


def _markdown(text: str) -> str:
    """Rapport's `*bold*` is Adaptive Cards' `**bold**`."""
    return _BOLD.sub(r"**\1**", text)


def _text_block(text: str, **extra: Any) -> Element:
    return {"type": "TextBlock", "text": _markdown(text), "wrap": True, **extra}


def _submit(title: str, *, action_id: str, value: str, style: str | None = None) -> Element:
    action = {"type": "Action.Submit", "title": title, "data": {"action_id": action_id, "value": value}}
    if style in _STYLES:
        action["style"] = _STYLES[style]
    return action


def _text(part: Text) -> list[Element]:
    return [_text_block(part.text)]


def _section(part: Section) -> list[Element]:
    elements = [_text_block(part.text)]
    if part.fields:
        facts = [{"title": f.label, "value": _markdown(f.value)} for f in part.fields]
        elements.append({"type": "FactSet", "facts": facts})
    return elements


def _buttons(part: Buttons) -> list[Element]:
    actions = [_submit(b.label, action_id=b.action_id, value=b.value, style=b.style) for b in part.buttons]
    return [{"type": "ActionSet", "actions": actions}]


def _choices(part: Choices) -> list[Element]:
    actions = [_submit(o.label, action_id=part.action_id, value=o.value) for o in part.options]
    return [{"type": "ActionSet", "actions": actions}]


def _context(part: Context) -> list[Element]:
    return [_text_block(part.text, size="Small", isSubtle=True, spacing="Small")]


def _form_question(part: FormQuestion) -> list[Element]:
    """The question (with its progress), a submit button per option, and the hint as small print."""
    heading = f"({part.progress}) {part.text}" if part.progress else part.text
    elements = [_text_block(heading)]
    if part.options:
        actions = [
            _submit(o.label, action_id=part.action_id, value=part.answer_value(o)) for o in part.options
        ]
        elements.append({"type": "ActionSet", "actions": actions})
    return elements + (_context(Context(text=part.hint)) if part.hint else [])


INLINE_FILE_BYTES = 16_000  # a Teams bot cannot simply attach a file in a personal chat


def _file(part: File) -> list[Element]:
    """Small files travel inside the card as monospace text; larger ones are named only (the message
    says where else to get them)."""
    size = len(part.content.encode("utf-8"))
    elements = _context(Context(text=f"📎 {part.name} ({size:,} bytes)"))
    if size <= INLINE_FILE_BYTES:
        elements.append(
            {
                "type": "TextBlock",
                "text": part.content,
                "wrap": True,
                "fontType": "Monospace",
                "size": "Small",
            }
        )
    return elements


RENDERERS: dict[type, Callable[[Any], list[Element]]] = {
    Text: _text,
    Section: _section,
    Buttons: _buttons,
    Choices: _choices,
    Context: _context,
    FormQuestion: _form_question,
    File: _file,
}


def fallback_text(reply: Reply) -> str:
    """What shows where the card cannot: notifications, old clients, accessibility."""
    return reply.summary or reply.plain_text()


def _card(body: list[Element], *, fallback: str) -> dict[str, Any]:
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
    }


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore") + "…"


def size_of(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode("utf-8"))


def render(reply: Reply) -> dict[str, Any]:
    """The reply as an Adaptive Card (a dict), always within Teams' message size."""
    fallback = _cut(fallback_text(reply), 1_000)
    body = [element for part in reply.parts for element in RENDERERS[type(part)](part)]
    card = _card(body, fallback=fallback)
    if size_of(card) <= MAX_CARD_BYTES:
        return card
    return _card([_text_block(_cut(reply.plain_text(), _TRUNCATED_TEXT_BYTES))], fallback=fallback)
