"""Replies as DingTalk robot messages, one renderer per part type. Pure functions; plain JSON out.

Without a card template a reply is Markdown, or an ActionCard when it has buttons. A button is a link
that makes the DingTalk client send a message in the person's name
(`dtmd://dingtalkclient/sendMessage?content=…`): for a form's option the answer itself, as it would be
typed; for any other button its label with the action it stands for (`inbound.PRESS` reads it back).
A reply too long for one message becomes a few, split between its parts where it can be, never cut;
more buttons than one ActionCard holds go on the next.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bot.parse import as_read
from bot.replies import (
    Buttons,
    Choices,
    Context,
    File,
    FormQuestion,
    Reply,
    Section,
    Text,
    paginate,
    plain,
    split_text,
)

# DingTalk takes Markdown messages of up to about 5,000 characters; keep room for the title.
MAX_TEXT = 4_000
MAX_BUTTONS = 5  # sampleActionCard5, the most buttons a robot's ActionCard has
MAX_TITLE = 60
SEND_MESSAGE = "dtmd://dingtalkclient/sendMessage?content="
INLINE_FILE_CHARS = 3_000

_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")  # DingTalk's Markdown has no code: the words stand plain


@dataclass(frozen=True, kw_only=True)
class Piece:
    """What one part renders to: Markdown blocks and (label, content to send) buttons."""

    blocks: tuple[str, ...] = ()
    buttons: tuple[tuple[str, str], ...] = ()
    actions: tuple[tuple[str, str, str], ...] = ()  # (label, action id, value), for a card's buttons


@dataclass(frozen=True, kw_only=True)
class RobotMessage:
    """One DingTalk robot message: a title (the notification), Markdown, and link buttons."""

    title: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (label, what pressing it sends)
    actions: tuple[tuple[str, str, str], ...] = ()  # the same buttons as (label, action id, value)

    def links(self) -> list[tuple[str, str]]:
        return [(plain(label), SEND_MESSAGE + quote(content, safe="")) for label, content in self.buttons]

    def openapi(self) -> tuple[str, str]:
        """`msgKey` and `msgParam` (a JSON string) for `oToMessages/batchSend` and `groupMessages/send`."""
        links = self.links()
        if not links:
            return "sampleMarkdown", _json({"title": self.title, "text": self.text})
        if len(links) == 1:
            label, url = links[0]
            param = {"title": self.title, "text": self.text, "singleTitle": label, "singleURL": url}
            return "sampleActionCard", _json(param)
        param = {"title": self.title, "text": self.text}
        for number, (label, url) in enumerate(links, 1):
            param |= {f"actionTitle{number}": label, f"actionURL{number}": url}
        return f"sampleActionCard{len(links)}", _json(param)

    def webhook(self) -> dict[str, Any]:
        """The body to post to a message's `sessionWebhook`."""
        links = self.links()
        if not links:
            return {"msgtype": "markdown", "markdown": {"title": self.title, "text": self.text}}
        card = {
            "title": self.title,
            "text": self.text,
            "btnOrientation": "0",
            "btns": [{"title": label, "actionURL": url} for label, url in links],
        }
        return {"msgtype": "actionCard", "actionCard": card}


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def markdown(text: str) -> str:
    """Rapport's text as DingTalk Markdown: mentions as @Name, `*bold*` as `**bold**`, `_italic_` as
    `*italic*`, `code` as plain words (DingTalk shows no code), and each line break kept (DingTalk
    joins single lines otherwise)."""
    text = as_read(text) if "<" in text else text
    text = _ITALIC.sub(r"*\1*", _BOLD.sub(r"**\1**", _CODE.sub(r"\1", text)))
    return text.replace("\n", "  \n")


def press_text(label: str, action_id: str, value: str) -> str:
    """What a button without a card sends: its label and the action it stands for."""
    return f"{plain(label)} [{action_id} {value}]" if value else f"{plain(label)} [{action_id}]"


def _blocks(text: str) -> tuple[str, ...]:
    return tuple(markdown(chunk) for chunk in split_text(text, MAX_TEXT))


def _text(part: Text) -> Piece:
    return Piece(blocks=_blocks(part.text))


def _section(part: Section) -> Piece:
    fields = [f"- *{plain(f.label)}*: {f.value}" for f in part.fields]
    return Piece(blocks=_blocks("\n".join([part.text, *fields])))


def _buttons(part: Buttons) -> Piece:
    return Piece(
        buttons=tuple((b.label, press_text(b.label, b.action_id, b.value)) for b in part.buttons),
        actions=tuple((b.label, b.action_id, b.value) for b in part.buttons),
    )


def _choices(part: Choices) -> Piece:
    buttons = tuple((o.label, press_text(o.label, part.action_id, o.value)) for o in part.options)
    actions = tuple((o.label, part.action_id, o.value) for o in part.options)
    return Piece(blocks=_numbered(part.options), buttons=buttons, actions=actions)


def _numbered(options) -> tuple[str, ...]:
    return (
        ("\n".join(f"{n}. {o.label}" for n, o in enumerate(options, 1)),)
        if len(options) > MAX_BUTTONS
        else ()
    )


def _context(part: Context) -> Piece:
    return Piece(blocks=tuple(f"<font color=#888888>{block}</font>" for block in _blocks(part.text)))


def _form_question(part: FormQuestion) -> Piece:
    """The question with its progress; each option sends the answer as it would be typed: the
    number of a scale's or a list's option, else (yes, no) its label."""
    blocks = _blocks(f"({part.progress}) {part.text}" if part.progress else part.text)
    buttons = tuple((o.label, o.value if o.value.isdigit() else plain(o.label)) for o in part.options)
    hint = _context(Context(text=part.hint)).blocks if part.hint else ()
    actions = tuple((o.label, part.action_id, part.answer_value(o)) for o in part.options)
    return Piece(blocks=blocks + _numbered(part.options) + hint, buttons=buttons, actions=actions)


def _file(part: File) -> Piece:
    """A small file travels as a code block; a larger one is named only (the message says where else
    to get it)."""
    lines = [f"📎 {part.name} ({len(part.content):,} characters)"]
    if len(part.content) <= INLINE_FILE_CHARS:
        lines.append("```\n" + part.content.replace("```", "'''") + "\n```")
    return Piece(blocks=("\n".join(lines[:1]), *lines[1:]))


RENDERERS: dict[type, Callable[[Any], Piece]] = {
    Text: _text,
    Section: _section,
    Buttons: _buttons,
    Choices: _choices,
    Context: _context,
    FormQuestion: _form_question,
    File: _file,
}


def title_of(text: str) -> str:
    """A message's title (what a notification shows): its first line, plain and short."""
    first = plain(as_read(text) if "<" in text else text).strip().split("\n", 1)[0]
    return first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 1] + "…"


def messages(reply: Reply) -> list[RobotMessage]:
    """The reply as robot messages, in order: almost always one. A long one is split between its
    parts into pages of at most `MAX_TEXT` characters; buttons follow their page, at most five to a
    message, the rest on messages of their own."""
    pieces = [RENDERERS[type(part)](part) for part in reply.parts]
    items: list[list[tuple[str, Any]]] = [
        [("block", b) for b in piece.blocks]
        + [
            ("button", b)
            for b in zip(piece.buttons, piece.actions or [None] * len(piece.buttons), strict=True)
        ]
        for piece in pieces
    ]
    pages = paginate(
        items, size=lambda item: len(item[1]) if item[0] == "block" else 0, budget=MAX_TEXT, most=10**6
    )
    title = title_of(reply.summary or reply.plain_text())
    found: list[RobotMessage] = []
    for page in pages:
        text = "\n\n".join(value for kind, value in page if kind == "block")
        buttons = [value for kind, value in page if kind == "button"]
        for start in range(0, max(len(buttons), 1), MAX_BUTTONS):
            chunk = buttons[start : start + MAX_BUTTONS]
            shown = text if start == 0 else "…"
            found.append(
                RobotMessage(
                    title=title if not found else title_of(text) or title,
                    text=shown or title,
                    buttons=tuple(link for link, _ in chunk),
                    actions=tuple(action for _, action in chunk if action is not None),
                )
            )
    return found
