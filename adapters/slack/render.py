"""Replies as Block Kit, one renderer per part type, kept inside Slack's limits.

Slack rejects a whole message that breaks a limit, so nothing here may: long text is split over
several sections, and a reply too long for one message becomes a few messages (`messages`), split
between its parts where it can be, never cut. Only App Home, a single view, is cut short at its 100
blocks, with a note in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from bot.i18n import Messages
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

Block = dict[str, Any]

MAX_BLOCKS = 50  # a message; App Home allows 100
MAX_HOME_BLOCKS = 100
# Slack answers `msg_blocks_too_long` well before its documented limits add up (seen from about 11,300
# characters of text in blocks): a message's blocks, counted as JSON, stay within this.
MAX_MESSAGE_CHARS = 12_000
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10  # per section
MAX_FIELD_TEXT = 2000
MAX_FIELDS_TEXT = MAX_MESSAGE_CHARS // 2  # the fields of one block
MAX_BUTTONS = 25  # per actions block
MAX_BUTTON_LABEL = 75
MAX_VALUE = 2000
MAX_FALLBACK = 3000


def escape(text: str) -> str:
    """Slack's three control characters; everything else (`*bold*`, backticks) is mrkdwn as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": _clip(text, MAX_BUTTON_LABEL), "emoji": True}


# The delivery worker renders every message it sends (a check-in prompt's blocks took 8.2 us), so the
# helpers below take the short way where they can: one chunk, positional arguments.


def _sections(text: str) -> list[Block]:
    text = escape(text)
    if len(text) <= MAX_SECTION_TEXT:
        return [{"type": "section", "text": _mrkdwn(text)}] if text else []
    return [{"type": "section", "text": _mrkdwn(c)} for c in split_text(text, MAX_SECTION_TEXT)]


def _text(part: Text) -> list[Block]:
    return _sections(part.text)


def _section(part: Section) -> list[Block]:
    """The text, then its fields beside it: ten at most to a block, and few enough that a block stays
    well within a message's length (a section may have no text when it has fields)."""
    blocks = _sections(part.text)
    fields = [_mrkdwn(_clip(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT)) for f in part.fields]
    groups = paginate(
        [fields], size=lambda field: len(field["text"]), budget=MAX_FIELDS_TEXT, most=MAX_FIELDS
    )
    if groups and blocks:
        blocks[-1]["fields"] = groups.pop(0)
    return blocks + [{"type": "section", "fields": group} for group in groups]


def _button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    button = {"type": "button", "text": _plain(label), "action_id": action_id, "value": value[:MAX_VALUE]}
    if style is not None and style in ("primary", "danger"):
        button["style"] = style
    return button


def _actions(buttons: list[Block]) -> list[Block]:
    if len(buttons) <= MAX_BUTTONS:
        return [{"type": "actions", "elements": buttons}] if buttons else []
    return [
        {"type": "actions", "elements": buttons[start : start + MAX_BUTTONS]}
        for start in range(0, len(buttons), MAX_BUTTONS)
    ]


def _buttons(part: Buttons) -> list[Block]:
    # Slack wants action ids unique within a message; the core's id stays in front, before the "#".
    return _actions(
        [_button(b.label, f"{b.action_id}#{i}", b.value, b.style) for i, b in enumerate(part.buttons)]
    )


def _choices(part: Choices) -> list[Block]:
    return _actions([_button(o.label, f"{part.action_id}#{i}", o.value) for i, o in enumerate(part.options)])


def _small_print(text: str) -> list[Block]:
    text = escape(text)
    if len(text) <= MAX_SECTION_TEXT:
        return [{"type": "context", "elements": [_mrkdwn(text)]}] if text else []
    return [{"type": "context", "elements": [_mrkdwn(c)]} for c in split_text(text, MAX_SECTION_TEXT)]


def _context(part: Context) -> list[Block]:
    return _small_print(part.text)


def _form_question(part: FormQuestion) -> list[Block]:
    """The question (with its progress), a button per option, and the hint as small print."""
    blocks = _sections(f"({part.progress}) {part.text}" if part.progress else part.text)
    if part.options:
        action_id, answer_value = part.action_id, part.answer_value
        blocks += _actions(
            [_button(o.label, f"{action_id}#{i}", answer_value(o)) for i, o in enumerate(part.options)]
        )
    return blocks + _small_print(part.hint) if part.hint else blocks


def _file(part: File) -> list[Block]:
    # The file itself is uploaded by the sender (files.uploadV2); the message names it.
    return _small_print(f"📎 {part.name}")


RENDERERS: dict[type, Callable[[Any], list[Block]]] = {
    Text: _text,
    Section: _section,
    Buttons: _buttons,
    Choices: _choices,
    Context: _context,
    FormQuestion: _form_question,
    File: _file,
}


def _groups(reply: Reply) -> list[list[Block]]:
    return [RENDERERS[type(part)](part) for part in reply.parts]


def messages(reply: Reply) -> list[dict[str, Any]]:
    """The reply as messages `{"text": fallback, "blocks": [...]}` for chat.postMessage, in order.

    Almost every reply is one message. A longer one (a manager's digest after a busy quarter) is
    split between its parts into as few messages as Slack's limits allow, each with its own text
    fallback; nothing is cut.
    """
    groups = _groups(reply)
    blocks = [block for group in groups for block in group]
    # UTF-8 bytes are at least as many as characters: most replies are measured once, here.
    if len(blocks) <= MAX_BLOCKS and len(orjson.dumps(blocks)) <= MAX_MESSAGE_CHARS:
        return [{"text": _fallback(escape(reply.plain_summary())), "blocks": blocks}]
    pages = paginate(groups, size=_size, budget=MAX_MESSAGE_CHARS - 1, most=MAX_BLOCKS)
    return [
        {
            "text": _fallback(plain(_first_text(page)) if number else escape(reply.plain_summary())),
            "blocks": page,
        }
        for number, page in enumerate(pages)
    ]


def home_view(reply: Reply, *, t: Messages) -> list[Block]:
    """The blocks of a person's App Home: one view of up to 100 blocks, so a longer home is cut short
    there with a note in the reader's language (a home is built to stay well within it)."""
    blocks = [block for group in _groups(reply) for block in group]
    if len(blocks) > MAX_HOME_BLOCKS:
        note = {"type": "context", "elements": [_mrkdwn(t("slack.truncated"))]}
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], note]
    return blocks


def _size(block: Block) -> int:
    """A block's length in characters as JSON, with the comma after it in a list (so that a page's
    sizes, within its budget less one, add up to its blocks' JSON with the brackets)."""
    return len(orjson.dumps(block).decode()) + 1


def _first_text(blocks: list[Block]) -> str:
    """The first text in a message's blocks (escaped mrkdwn): what a later message's fallback shows."""
    for block in blocks:
        text = block.get("text") or next(iter(block.get("elements") or ()), None) or {}
        if text.get("type") == "mrkdwn":
            return text["text"]
    return ""


def _fallback(text: str) -> str:
    """Slack's top-level `text` (notifications, clients that show no blocks), from plain escaped text:
    short enough for Slack, never ending in half an entity."""
    if len(text) <= MAX_FALLBACK:
        return text
    cut = text[: MAX_FALLBACK - 1]
    if cut.rfind("&") > cut.rfind(";"):  # not half an entity
        cut = cut[: cut.rfind("&")]
    return cut + "…"


def action_id_of(slack_action_id: str) -> str:
    """The core's action id from a rendered button's (`kudos.thank#2` → `kudos.thank`)."""
    return slack_action_id.rpartition("#")[0] or slack_action_id
