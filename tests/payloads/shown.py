"""What a person reads of a reply, to check that a platform's messages lost none of it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.replies import Context, FormQuestion, Reply, Section, Text

_SPACE = re.compile(r"\s+")


def squeezed(text: str) -> str:
    """`text` without whitespace: a long text split over blocks loses only the spaces at the breaks."""
    return _SPACE.sub("", text)


def paragraphs(reply: Reply) -> Iterator[str]:
    """Every paragraph of the reply's text, as the core wrote it (markup included)."""
    for part in reply.parts:
        if isinstance(part, (Text, Context)):
            yield part.text
        elif isinstance(part, Section):
            yield part.text
            yield from (field.value for field in part.fields)
        elif isinstance(part, FormQuestion):
            yield part.text
            yield part.hint


def missing(reply: Reply, shown: str, *, written: callable) -> list[str]:
    """The paragraphs of `reply` not found whole, in order, in `shown` (everything the platform's
    messages show, one after the other); `written` is how the platform writes a paragraph."""
    haystack, start, lost = squeezed(shown), 0, []
    for paragraph in paragraphs(reply):
        needle = squeezed(written(paragraph))
        found = haystack.find(needle, start)
        if found < 0:
            lost.append(paragraph[:80])
        else:
            start = found + len(needle)
    return lost


def slack_text(blocks: list[dict[str, Any]]) -> str:
    """Every text Slack shows of a message's blocks: sections, their fields, small print."""
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [field["text"] for field in block.get("fields", [])]
        if block["type"] == "context":
            texts += [element.get("text", "") for element in block["elements"]]
    return "\n".join(texts)


def card_text(card: dict[str, Any]) -> str:
    """Every text a card shows: its text blocks and facts."""
    texts = []
    for element in card["body"]:
        if element["type"] == "TextBlock":
            texts.append(element["text"])
        texts += [fact["value"] for fact in element.get("facts", [])]
    return "\n".join(texts)
