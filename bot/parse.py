"""Parsing what people type: mentions in each platform's form, #values.

Mentions arrive as Slack `<@U123|name>` / `<@U123>`, Teams `<at>Name</at>` (resolved through the
activity's mention entities), or console `@handle` / `@name@example.com`. The parser only says what was
written; `bot.people` decides who it names. A text kept to be read again later (an answer to a form,
parsed when the form is done) holds Rapport's own mention of each person instead, `<@rapport:42|Name>`
(`mention_of`), which needs no platform's mention list to be read again.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.events import Mention

_TOKEN = re.compile(
    r"""
    <@rapport:(?P<person>\d+)\|(?P<person_label>[^>|]*)>
  | <@(?P<slack_user>[UW][A-Z0-9]+)(?:\|(?P<slack_label>[^>]*))?>
  | <\#(?P<slack_channel>C[A-Z0-9]+)(?:\|(?P<channel_name>[^>]*))?>
  | <!(?P<special>[^>|]+)(?:\|(?P<special_label>[^>]*))?>
  | <(?P<link>(?:https?|mailto):[^>|\s]+)(?:\|(?P<link_label>[^>]*))?>
  | <at>(?P<teams>.*?)</at>
  | (?<![\w@])@(?P<handle>[A-Za-z0-9][A-Za-z0-9._%+-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)
  | (?<![\w&/])\#(?P<value>[^\W\d_][\w-]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, kw_only=True)
class PersonRef:
    """A person as written. Exactly one of user_id / handle / email / person_id (Rapport's own mention)
    is set, or none when unresolvable."""

    text: str
    user_id: str | None = None
    handle: str | None = None
    email: str | None = None
    person_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ValueTag:
    text: str
    name: str


Segment = str | PersonRef | ValueTag


def _tokens(mentions: tuple[Mention, ...]) -> re.Pattern[str]:
    """The tokens of a text: a platform's mention spans (exactly as it wrote them), then the rest."""
    spans = tuple(sorted({m.text for m in mentions if m.text and not m.text.startswith("<at>")}, key=len))
    return _with_spans(spans[::-1]) if spans else _TOKEN


@functools.lru_cache(maxsize=1024)
def _with_spans(spans: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"(?P<span>{'|'.join(map(re.escape, spans))})|{_TOKEN.pattern}", re.VERBOSE)


def tokenize(text: str, *, mentions: tuple[Mention, ...] = ()) -> list[Segment]:
    """Split `text` into plain strings, person references and #value tags, in order."""
    segments: list[Segment] = []
    by_text = {m.text: m for m in mentions}
    pos = 0
    for match in _tokens(mentions).finditer(text):
        if match.start() > pos:
            segments.append(html.unescape(text[pos : match.start()]))
        segments.append(_segment(match, by_text))
        pos = match.end()
    if pos < len(text):
        segments.append(html.unescape(text[pos:]))
    return segments


def _segment(match: re.Match[str], by_text: dict[str, Mention]) -> Segment:
    kind = _KIND[match.lastgroup]  # the last group that matched names its alternative
    raw = match.group(0)
    if kind == "span":  # a platform's mention; one it could not resolve is asked back
        mention = by_text[raw]
        return PersonRef(text=mention.label or raw, user_id=mention.user_id)
    if kind == "person":
        return PersonRef(text=match.group("person_label"), person_id=int(match.group("person")))
    if kind == "slack_user":
        label = match.group("slack_label")
        return PersonRef(text=f"@{label}" if label else raw, user_id=match.group("slack_user"))
    if kind == "slack_channel":
        # Slack turns "#ownership" into a channel link when such a channel exists.
        name = match.group("channel_name")
        return ValueTag(text=f"#{name}", name=name.lower()) if name else raw
    if kind == "special":
        return "@" + (match.group("special_label") or match.group("special")).lstrip("@")
    if kind == "link":
        return match.group("link_label") or match.group("link")
    if kind == "teams":
        mention = by_text.get(raw)
        return PersonRef(text=html.unescape(match.group("teams")), user_id=mention.user_id if mention else None)
    if kind == "handle":
        return _console_ref(match.group("handle"))
    return ValueTag(text=raw, name=match.group("value").lower())


# Each group of _TOKEN → the alternative it belongs to (an optional label is matched last).
_KIND = {
    "span": "span",
    "person": "person",
    "person_label": "person",
    "slack_user": "slack_user",
    "slack_label": "slack_user",
    "slack_channel": "slack_channel",
    "channel_name": "slack_channel",
    "special": "special",
    "special_label": "special",
    "link": "link",
    "link_label": "link",
    "teams": "teams",
    "handle": "handle",
    "value": "value",
}


def _console_ref(handle: str) -> PersonRef | str:
    handle = handle.rstrip(".")
    if "@" in handle:
        return PersonRef(text=f"@{handle}", email=handle.lower())
    return PersonRef(text=f"@{handle}", handle=handle.lower())


def mention_of(person_id: int, name: str) -> str:
    """Rapport's own mention of a person, for a text to be read again later on any platform."""
    return f"<@rapport:{person_id}|{_LABEL_UNSAFE.sub(' ', name)}>"


_LABEL_UNSAFE = re.compile(r"[<>|]")
_RAPPORT_MENTION = re.compile(r"<@rapport:\d+\|([^>|]*)>")


def readable(text: str) -> str:
    """`text` as people read it: Rapport's own mentions shown as @Name."""
    return _RAPPORT_MENTION.sub(r"@\1", text) if "<@rapport:" in text else text


def rewrite_people(text: str, *, mentions: tuple[Mention, ...], write: Callable[[PersonRef], str]) -> str:
    """`text` with each person it mentions written by `write`, everything else exactly as written."""
    by_text = {m.text: m for m in mentions}
    out: list[str] = []
    pos = 0
    for match in _tokens(mentions).finditer(text):
        segment = _segment(match, by_text)
        out += [
            text[pos : match.start()],
            write(segment) if isinstance(segment, PersonRef) else match.group(0),
        ]
        pos = match.end()
    return "".join([*out, text[pos:]])


def person_refs(segments: list[Segment]) -> list[PersonRef]:
    return [s for s in segments if isinstance(s, PersonRef)]


def value_tags(segments: list[Segment]) -> list[str]:
    """The #values named, lower-cased, each once, in order."""
    return list(dict.fromkeys(s.name for s in segments if isinstance(s, ValueTag)))


def strip_edges(segments: list[Segment]) -> list[Segment]:
    """Drop the leading run of mentions (who it is for) and the trailing run of #values (the tags).

    What is left is the message body; mentions and tags inside it stay, so that "thanks @ann for the
    #customer call" keeps reading as a sentence.
    """
    start, end = 0, len(segments)
    while start < end and (isinstance(segments[start], PersonRef) or _blank(segments[start])):
        start += 1
    while end > start and (isinstance(segments[end - 1], ValueTag) or _blank(segments[end - 1])):
        end -= 1
    return segments[start:end]


def as_read(text: str, *, mentions: tuple[Mention, ...] = ()) -> str:
    """`text` as people read it and can type it again: each person as @Name, not a platform's
    markup (a Teams `<at>` tag means nothing typed back); a mention with no name stays as it came."""
    segments = tokenize(text, mentions=mentions)
    names = {ref: ref.text.removeprefix("@") for ref in person_refs(segments)}
    return "".join(
        (f"@{names[s]}" if not s.text.startswith("<") else s.text)
        if isinstance(s, PersonRef)
        else s.text if isinstance(s, ValueTag) else s
        for s in segments
    )


def as_text(segments: list[Segment], *, names: dict[PersonRef, str]) -> str:
    """The segments as people will read them: mentions become @Name, whitespace is tidied."""
    words = []
    for segment in segments:
        if isinstance(segment, PersonRef):
            words.append(f"@{names[segment]}")
        elif isinstance(segment, ValueTag):
            words.append(segment.text)
        else:
            words.append(segment)
    return " ".join("".join(words).split())


def _blank(segment: Segment) -> bool:
    return isinstance(segment, str) and not segment.strip()
