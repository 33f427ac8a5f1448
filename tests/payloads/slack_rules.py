"""What Slack refuses in a message or an App Home view, checked with slack_sdk's Block Kit models and
Slack's documented limits. The fake Web API (tests/slack/fake_slack.py) refuses the same, as Slack
does: `invalid_blocks`, or `msg_blocks_too_long`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_BLOCKS, MAX_HOME_BLOCKS = 50, 100
# Slack refuses messages whose blocks are too long well before the documented limits add up (seen
# from about 11,300 characters of text): Rapport keeps a message's blocks, as JSON, within 12,000.
MAX_MESSAGE_CHARS = 12_000
MAX_FALLBACK = 4_000  # Slack's advice for the top-level text
LIMITS = {  # Slack's documented limits, by where a text sits
    ("section", "text"): 3000,
    ("section", "field"): 2000,
    ("header", "text"): 150,
    ("context", "element"): 3000,
    ("button", "text"): 75,
    ("button", "action_id"): 255,
    ("button", "value"): 2000,
}


def problems(message: dict[str, Any], *, home: bool = False) -> list[str]:
    """Why Slack would refuse `message` (`{"text": ..., "blocks": [...]}`; for `home`, a view's
    blocks under "blocks"), as readable lines; empty when it would take it."""
    blocks = message.get("blocks") or []
    found = []
    if not home:
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            found.append("no top-level text: notifications and screen readers need it")
        elif len(text) > MAX_FALLBACK:
            found.append(f"top-level text of {len(text)} characters")
        size = len(json.dumps(blocks, ensure_ascii=False, separators=(",", ":")))
        if size > MAX_MESSAGE_CHARS:
            found.append(f"msg_blocks_too_long: {size} characters")
    most = MAX_HOME_BLOCKS if home else MAX_BLOCKS
    if len(blocks) > most:
        found.append(f"{len(blocks)} blocks, more than {most}")
    for index, block in enumerate(blocks):
        found += [f"block {index}: {problem}" for problem in _block_problems(block)]
    return found


def _block_problems(block: dict[str, Any]) -> Iterator[str]:
    parsed = Block.parse(block)
    if parsed is None:
        yield f"unknown block type {block.get('type')!r}"
        return
    try:
        # to_dict validates every nested object; what it gives back is what the model understood.
        if parsed.to_dict() != block:
            yield f"fields slack_sdk does not know: {block}"
    except SlackObjectFormationError as error:
        yield f"invalid_blocks: {error}"
    for (kind, where), limit in LIMITS.items():
        for text in _texts(block, kind, where):
            if len(text) > limit:
                yield f"{kind} {where} of {len(text)} characters, more than {limit}"
    ids = [e.get("action_id") for e in block.get("elements", []) if e.get("action_id")]
    if len(ids) != len(set(ids)):
        yield "action ids repeat within the block"


def _texts(block: dict[str, Any], kind: str, where: str) -> Iterator[str]:
    if block.get("type") == kind == "section":
        if where == "text" and "text" in block:
            yield block["text"]["text"]
        if where == "field":
            yield from (field["text"] for field in block.get("fields", []))
    elif block.get("type") == kind == "header":
        yield block["text"]["text"]
    elif block.get("type") == kind == "context":
        yield from (e.get("text", "") for e in block.get("elements", []))
    elif kind == "button":
        for element in block.get("elements", []):
            if element.get("type") == "button":
                yield element["text"]["text"] if where == "text" else element.get(where, "")
