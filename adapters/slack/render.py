"""Replies as Block Kit, one renderer per part type, kept inside Slack's limits.

Slack rejects a whole message that breaks a limit, so nothing here may: long text is split over
several sections, and a reply with too many blocks is cut short with a note in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from bot.i18n import Messages
from bot.replies import Buttons, Choices, Context, File, FormQuestion, Reply, Section, Text

Block = dict[str, Any]

MAX_BLOCKS = 50  # a message; App Home allows 100
MAX_HOME_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10  # per section
MAX_FIELD_TEXT = 2000
MAX_BUTTONS = 25  # per actions block
MAX_BUTTON_LABEL = 75
MAX_VALUE = 2000
MAX_FALLBACK = 3000


def escape(text: str) -> str:
    """Slack's three control characters; everything else (`*bold*`, backticks) is mrkdwn as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chunks(text: str, size: int) -> Iterator[str]:
    """`text` in pieces of at most `size` characters, broken at a line end or space when there is one."""
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        cut = cut if cut > size // 2 else size
        yield text[:cut]
        text = text[cut:].lstrip("\n ")
    if text:
        yield text


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
    return [{"type": "section", "text": _mrkdwn(c)} for c in chunks(text, MAX_SECTION_TEXT)]


def _text(part: Text) -> list[Block]:
    return _sections(part.text)


def _section(part: Section) -> list[Block]:
    blocks = _sections(part.text) or [{"type": "section", "text": _mrkdwn(" ")}]
    fields = [_mrkdwn(_clip(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT)) for f in part.fields]
    blocks[-1]["fields"] = fields[:MAX_FIELDS]
    for start in range(MAX_FIELDS, len(fields), MAX_FIELDS):
        blocks.append({"type": "section", "fields": fields[start : start + MAX_FIELDS]})
    return blocks


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
    return [{"type": "context", "elements": [_mrkdwn(c)]} for c in chunks(text, MAX_SECTION_TEXT)]


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


def render(reply: Reply, *, t: Messages, max_blocks: int = MAX_BLOCKS) -> dict[str, Any]:
    """The reply as `{"text": fallback, "blocks": [...]}`, ready for chat.postMessage or an ack.

    Args:
        reply: what to show.
        t: the reader's messages, for the note on a reply that had to be cut short.
        max_blocks: Slack's limit where it will be shown (50 in a message, 100 on App Home).
    """
    blocks = [block for part in reply.parts for block in RENDERERS[type(part)](part)]
    if len(blocks) > max_blocks:
        blocks = [*blocks[: max_blocks - 1], {"type": "context", "elements": [_mrkdwn(t("slack.truncated"))]}]
    fallback = reply.summary or reply.plain_text()
    return {"text": _clip(fallback, MAX_FALLBACK), "blocks": blocks}


def action_id_of(slack_action_id: str) -> str:
    """The core's action id from a rendered button's (`kudos.thank#2` → `kudos.thank`)."""
    return slack_action_id.rpartition("#")[0] or slack_action_id
