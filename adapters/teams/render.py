"""Replies as Adaptive Cards, one renderer per part type. Pure functions; plain JSON out.

Cards use schema 1.5 (what Teams renders on desktop and web) and never exceed Teams' message size:
a reply too long for one card becomes a few cards (`cards`), sent one after the other, split between
its parts where it can be, never cut. A question with more options than fit a row of buttons is a
list to pick from (`Input.ChoiceSet`) with one button to send the choice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from bot.replies import (
    FEW_OPTIONS,
    Buttons,
    Choices,
    Context,
    File,
    FormQuestion,
    Option,
    Reply,
    Section,
    Text,
    paginate,
    plain,
    split_text,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
# Teams refuses messages over about 28 KB; leave room for the activity around the card.
MAX_CARD_BYTES = 24_000
MAX_FALLBACK_BYTES = 1_000  # the card's fallbackText, and the activity's summary beside it
# A card's body, leaving room for the card's own fields and its fallback text (JSON may double it).
_BODY_BYTES = MAX_CARD_BYTES - 3 * MAX_FALLBACK_BYTES
# Characters in one TextBlock: even at six bytes a character as JSON, one fits any card.
MAX_TEXT = 3_000
CHOICE_INPUT = "rapport_choice"  # the id of a pick list; its value is the chosen option's

_BOLD = re.compile(r"\*([^*\n]+)\*")
_STYLES = {"primary": "positive", "danger": "destructive"}

Element = dict[str, Any]


def _markdown(text: str) -> str:
    """Rapport's `*bold*` is Adaptive Cards' `**bold**`."""
    return _BOLD.sub(r"**\1**", text)


def _text_block(text: str, **extra: Any) -> Element:
    return {"type": "TextBlock", "text": _markdown(text), "wrap": True, **extra}


def _text_blocks(text: str, **extra: Any) -> list[Element]:
    if len(text) <= MAX_TEXT:
        return [_text_block(text, **extra)]
    return [_text_block(chunk, **extra) for chunk in split_text(text, MAX_TEXT)]


def _submit(title: str, *, action_id: str, value: str, style: str | None = None) -> Element:
    action = {"type": "Action.Submit", "title": title, "data": {"action_id": action_id, "value": value}}
    if style in _STYLES:
        action["style"] = _STYLES[style]
    return action


def _text(part: Text) -> list[Element]:
    return _text_blocks(part.text)


def _section(part: Section) -> list[Element]:
    elements = _text_blocks(part.text)
    if part.fields:
        facts = [{"title": f.label, "value": _markdown(f.value)} for f in part.fields]
        elements.append({"type": "FactSet", "facts": facts})
    return elements


def _buttons(part: Buttons) -> list[Element]:
    actions = [_submit(b.label, action_id=b.action_id, value=b.value, style=b.style) for b in part.buttons]
    return [{"type": "ActionSet", "actions": actions}]


def _options(
    options: tuple[Option, ...], *, action_id: str, value_of: Callable[[Option], str], submit: str, empty: str
) -> list[Element]:
    """A row of buttons for a few options; for more, a list to pick from and one button that sends
    the pick (as `CHOICE_INPUT`; `empty` when nothing was picked)."""
    if len(options) <= FEW_OPTIONS:
        return [
            {
                "type": "ActionSet",
                "actions": [_submit(o.label, action_id=action_id, value=value_of(o)) for o in options],
            }
        ]
    choices = [{"title": o.label, "value": value_of(o)} for o in options]
    return [
        {"type": "Input.ChoiceSet", "id": CHOICE_INPUT, "style": "expanded", "choices": choices},
        {"type": "ActionSet", "actions": [_submit(submit or "OK", action_id=action_id, value=empty)]},
    ]


def _choices(part: Choices) -> list[Element]:
    return _options(
        part.options, action_id=part.action_id, value_of=lambda o: o.value, submit=part.submit, empty=""
    )


def _context(part: Context) -> list[Element]:
    return _text_blocks(part.text, size="Small", isSubtle=True, spacing="Small")


def _form_question(part: FormQuestion) -> list[Element]:
    """The question (with its progress), its options, and the hint as small print."""
    elements = _text_blocks(f"({part.progress}) {part.text}" if part.progress else part.text)
    if part.options:
        elements += _options(
            part.options,
            action_id=part.action_id,
            value_of=part.answer_value,
            submit=part.submit,
            empty=part.answer_value(Option(label="", value="")),
        )
    return elements + (_context(Context(text=part.hint)) if part.hint else [])


INLINE_FILE_BYTES = 16_000  # as JSON; a Teams bot cannot simply attach a file in a personal chat


def _file(part: File) -> list[Element]:
    """Small files travel inside the card as monospace text; larger ones are named only (the message
    says where else to get them)."""
    size = len(part.content.encode("utf-8"))
    elements = _context(Context(text=f"📎 {part.name} ({size:,} bytes)"))
    if size <= INLINE_FILE_BYTES:
        content = {
            "type": "TextBlock",
            "text": part.content,
            "wrap": True,
            "fontType": "Monospace",
            "size": "Small",
        }
        if size_of(content) <= INLINE_FILE_BYTES:
            elements.append(content)
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


def fallback_text(text: str) -> str:
    """What shows where a card cannot (notifications, old clients, accessibility): plain text, short."""
    return _cut(plain(text), MAX_FALLBACK_BYTES)


def size_of(element: dict[str, Any]) -> int:
    """Bytes as JSON, as Teams counts a message."""
    return len(json.dumps(element, ensure_ascii=False).encode("utf-8"))


def cards(reply: Reply) -> list[dict[str, Any]]:
    """The reply as Adaptive Cards (dicts), each within Teams' message size, in order.

    Almost every reply is one card. A longer one (a manager's digest after a busy quarter) is split
    between its parts into as few cards as fit; each later card's fallback is its own first line.
    """
    groups = [RENDERERS[type(part)](part) for part in reply.parts]
    body = [element for group in groups for element in group]
    card = _card(body, fallback=fallback_text(reply.plain_summary()))
    if size_of(card) <= MAX_CARD_BYTES:
        return [card]
    pages = paginate(groups, size=size_of, budget=_BODY_BYTES, most=len(body))
    return [card | {"body": pages[0]}] + [
        _card(page, fallback=fallback_text(_first_text(page))) for page in pages[1:]
    ]


def _first_text(body: list[Element]) -> str:
    """The first text of a card's body, Rapport's markup again (`**bold**` is `*bold*`)."""
    return next((e["text"].replace("**", "*") for e in body if e["type"] == "TextBlock"), "")
