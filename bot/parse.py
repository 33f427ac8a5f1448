"""Parsing what people type: mentions, #values.

A platform's mentions stay in the text as the platform wrote them; the event's `mentions` (made by the
platform's adapter) say which span names which platform user and how it reads. Typed mentions are
`@handle` and `@name@example.com`. The parser only says what was written; `bot.people` decides who it
names. A text kept to be read again later (an answer to a form, parsed when the form is done) holds
Rapport's own mention of each person instead, `<@rapport:42|Name>` (`mention_of`), which needs no
platform's mention list to be read again. Text arrives HTML-escaped (`&amp;`, `&lt;`), as chat
platforms send it; the parser unescapes plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.events import Mention

_TOKENS = r"""
    <@rapport:(?P<person>\d+)\|(?P<person_label>[^>|]*)>
  | (?<![\w@])@(?P<handle>[A-Za-z0-9][A-Za-z0-9._%+-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)
  | (?<![\w&/])\#(?P<value>[^\W\d_][\w-]*)
"""
_TOKEN = re.compile(_TOKENS, re.VERBOSE)


@lru_cache(maxsize=512)
def _with_mentions(spans: tuple[str, ...]) -> re.Pattern[str]:
    """The tokens, and before them the exact spans a platform said are mentions (longest first)."""
    alternatives = "|".join(re.escape(span) for span in sorted(spans, key=len, reverse=True))
    return re.compile(f"(?P<mention>{alternatives})|{_TOKENS}", re.VERBOSE)


def _pattern(mentions: tuple[Mention, ...]) -> re.Pattern[str]:
    spans = tuple(dict.fromkeys(m.text for m in mentions if m.text))
    return _with_mentions(spans) if spans else _TOKEN


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


def tokenize(text: str, *, mentions: tuple[Mention, ...] = ()) -> list[Segment]:
    """Split `text` into plain strings, person references and #value tags, in order."""
    segments: list[Segment] = []
    by_text = {m.text: m for m in mentions}
    pos = 0
    for match in _pattern(mentions).finditer(text):
        if match.start() > pos:
            segments.append(html.unescape(text[pos : match.start()]))
        segments.append(_segment(match, by_text))
        pos = match.end()
    if pos < len(text):
        segments.append(html.unescape(text[pos:]))
    return segments


def _segment(match: re.Match[str], mentions: dict[str, Mention]) -> Segment:
    kind = _KIND[match.lastgroup]  # the last group that matched names its alternative
    raw = match.group(0)
    if kind == "person":
        return PersonRef(text=match.group("person_label"), person_id=int(match.group("person")))
    if kind == "mention":
        mention = mentions[raw]
        return PersonRef(text=mention.label or raw, user_id=mention.user_id or None)
    if kind == "handle":
        return _typed_ref(match.group("handle"))
    return ValueTag(text=raw, name=match.group("value").lower())


# Each group of the tokens → the alternative it belongs to (an optional label is matched last).
_KIND = {
    "person": "person",
    "person_label": "person",
    "mention": "mention",
    "handle": "handle",
    "value": "value",
}


def _typed_ref(handle: str) -> PersonRef | str:
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
    for match in _pattern(mentions).finditer(text):
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
    markup (which means nothing typed back); a mention with no name stays as it came."""
    segments = tokenize(text, mentions=mentions)
    names = {ref: ref.text.removeprefix("@") for ref in person_refs(segments)}
    return "".join(
        (f"@{names[s]}" if not s.text.startswith("<") else s.text)
        if isinstance(s, PersonRef)
        else s.text
        if isinstance(s, ValueTag)
        else s
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
