"""Replies as Feishu message cards (schema 2.0), one renderer per part type. Pure functions.

Rapport's `*bold*` and `_italic_` are the card markdown's `**bold**` and `*italic*`. A button sends
a `card.action.trigger` callback whose value is `{"action_id", "value"}`; a question with more
options than fit a row of buttons is a select menu, whose pick is sent at once. Feishu refuses a card
over 30 KB, or with more than 200 elements: a longer reply (a digest) becomes a few cards, split
between its parts where it can be, never cut.
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

MAX_CARD_BYTES = 28_000  # Feishu's limit is 30 KB for the whole request
MAX_ELEMENTS = 150  # of Feishu's 200, counting the columns a row of buttons is made of
MAX_TEXT = 4_000
MAX_SUMMARY = 120  # the chat list's preview
INLINE_FILE_BYTES = 12_000
_BODY_BYTES = MAX_CARD_BYTES - 1_000

_BOLD = re.compile(r"(?<!\*)\*([^*\n]+)\*(?!\*)")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_STYLES = {"primary": "primary", "danger": "danger"}

Element = dict[str, Any]


def markdown(text: str) -> str:
    """Rapport's markup in Feishu's card markdown: `*b*` is `**b**`, `_i_` is `*i*`."""
    if "*" in text:
        text = _BOLD.sub(lambda m: f"\x00{m.group(1)}\x00", text)
    if "_" in text:
        text = _ITALIC.sub(r"*\1*", text)
    return text.replace("\x00", "**")


def _markdown(text: str, **extra: Any) -> list[Element]:
    chunks = [text] if len(text) <= MAX_TEXT else list(split_text(text, MAX_TEXT))
    return [{"tag": "markdown", "content": markdown(chunk), **extra} for chunk in chunks]


def button(label: str, *, action_id: str, value: str, style: str | None = None) -> Element:
    return {
        "tag": "button",
        "text": {"tag": "plain_text", "content": label},
        "type": _STYLES.get(style or "", "default"),
        "behaviors": [{"type": "callback", "value": {"action_id": action_id, "value": value}}],
    }


def _row(buttons: list[Element]) -> Element:
    columns = [{"tag": "column", "width": "auto", "elements": [b]} for b in buttons]
    return {"tag": "column_set", "flex_mode": "flow", "horizontal_spacing": "8px", "columns": columns}


def _text(part: Text) -> list[Element]:
    return _markdown(part.text)


def _section(part: Section) -> list[Element]:
    lines = [part.text, *(f"*{f.label}*: {f.value}" for f in part.fields)]
    return _markdown("\n".join(lines))


def _buttons(part: Buttons) -> list[Element]:
    return [_row([button(b.label, action_id=b.action_id, value=b.value, style=b.style) for b in part.buttons])]


def _options(
    options: tuple[Option, ...], *, action_id: str, value_of: Callable[[Option], str], placeholder: str
) -> list[Element]:
    """A row of buttons for a few options; for more, a select menu whose pick is sent at once."""
    if len(options) <= FEW_OPTIONS:
        return [_row([button(o.label, action_id=action_id, value=value_of(o)) for o in options])]
    menu = {
        "tag": "select_static",
        "placeholder": {"tag": "plain_text", "content": placeholder or "…"},
        "options": [{"text": {"tag": "plain_text", "content": o.label}, "value": value_of(o)} for o in options],
        "behaviors": [{"type": "callback", "value": {"action_id": action_id, "value": ""}}],
    }
    return [menu]


def _choices(part: Choices) -> list[Element]:
    return _options(part.options, action_id=part.action_id, value_of=lambda o: o.value, placeholder=part.submit)


def _context(part: Context) -> list[Element]:
    return _markdown(part.text, text_size="notation")


def _form_question(part: FormQuestion) -> list[Element]:
    elements = _markdown(f"({part.progress}) {part.text}" if part.progress else part.text)
    if part.options:
        elements += _options(
            part.options, action_id=part.action_id, value_of=part.answer_value, placeholder=part.submit
        )
    return elements + (_context(Context(text=part.hint)) if part.hint else [])


def _file(part: File) -> list[Element]:
    """A small file travels in the card as a code block; a larger one is named only."""
    size = len(part.content.encode())
    elements = _context(Context(text=f"📎 {part.name} ({size:,} bytes)"))
    if size <= INLINE_FILE_BYTES and "```" not in part.content:
        elements.append({"tag": "markdown", "content": f"```\n{part.content}\n```"})
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


def size_of(element: Element) -> int:
    """Bytes as JSON, as Feishu counts a card."""
    return len(json.dumps(element, ensure_ascii=False).encode())


def _count(element: Element) -> int:
    return 1 + sum(len(c["elements"]) + 1 for c in element.get("columns", ()))


def summary(text: str) -> str:
    text = " ".join(plain(text).split())
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def card(elements: list[Element], *, preview: str) -> dict[str, Any]:
    return {
        "schema": "2.0",
        "config": {"update_multi": True, "summary": {"content": summary(preview)}},
        "body": {"elements": elements},
    }


def cards(reply: Reply) -> list[dict[str, Any]]:
    """The reply as schema 2.0 cards, each within Feishu's limits, in order (almost always one)."""
    groups = [RENDERERS[type(part)](part) for part in reply.parts]
    body = [element for group in groups for element in group]
    whole = card(body, preview=reply.plain_summary())
    if size_of(whole) <= MAX_CARD_BYTES and sum(map(_count, body)) <= MAX_ELEMENTS:
        return [whole]
    pages = paginate(groups, size=size_of, budget=_BODY_BYTES, most=MAX_ELEMENTS // 12)  # a row of five buttons is 11
    return [card(pages[0], preview=reply.plain_summary())] + [
        card(page, preview=_first_text(page)) for page in pages[1:]
    ]


def _first_text(elements: list[Element]) -> str:
    return next((e["content"] for e in elements if e.get("tag") == "markdown"), "")


def content(reply: Reply) -> list[str]:
    """What `im/v1/messages` takes as `content` for each card (msg_type "interactive")."""
    return [json.dumps(c, ensure_ascii=False) for c in cards(reply)]
