"""Slack's markup in what people type, made neutral before the core reads it.

A user mention (`<@U123|ann>`, `<@W9ABC>`) stays in the text and is named in the event's mentions,
with its user id and how it reads (`@ann`; without a label, as it came). What the core's parser does
not know is translated: a channel link (`<#C123|ownership>`, which Slack makes of "#ownership" when
such a channel exists) becomes `#ownership`, a link (`<https://...|the doc>`) its label or address,
and a special mention (`<!here>`) the words it shows, written so that it names no one.
"""

from __future__ import annotations

import re

from bot.events import Mention

_USER = re.compile(r"<@(?P<user>[UW][A-Z0-9]+)(?:\|(?P<label>[^>]*))?>")
_OTHER = re.compile(
    r"""
    <\#(?P<channel>C[A-Z0-9]+)(?:\|(?P<channel_name>[^>]*))?>
  | <!(?P<special>[^>|]+)(?:\|(?P<special_label>[^>]*))?>
  | <(?P<link>(?:https?|mailto):[^>|\s]+)(?:\|(?P<link_label>[^>]*))?>
    """,
    re.VERBOSE,
)
_AT = "&#64;"  # "@" as the core's parser unescapes it in plain text, never reading it as a handle


def neutral(text: str) -> tuple[str, tuple[Mention, ...]]:
    """`text` with Slack's markup other than user mentions translated, and its user mentions."""
    if "<" not in text:
        return text, ()
    text = _OTHER.sub(_plain, text)
    mentions = {
        match.group(0): Mention(
            text=match.group(0),
            user_id=match.group("user"),
            label=f"@{match.group('label')}" if match.group("label") else None,
        )
        for match in _USER.finditer(text)
    }
    return text, tuple(mentions.values())


def _plain(match: re.Match[str]) -> str:
    if match.group("channel"):
        name = match.group("channel_name")
        return f"#{name}" if name else match.group(0)
    if match.group("special"):
        return _AT + (match.group("special_label") or match.group("special")).lstrip("@")
    return match.group("link_label") or match.group("link")
