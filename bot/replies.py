"""The small, platform-neutral vocabulary of everything Rapport shows.

Each adapter renders it through a table keyed by part type (Block Kit, Adaptive Cards, plain text).
Replies are also stored in the outbox, so every part round-trips through plain JSON.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar


@dataclass(frozen=True, kw_only=True)
class Text:
    """A paragraph. Its markup, `*bold*` and `_italic_`, is understood by every renderer; where a
    platform shows plain text (a notification, a fallback) `plain` takes it out."""

    kind: ClassVar[str] = "text"
    text: str


@dataclass(frozen=True, kw_only=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Section:
    """A heading paragraph with labelled fields beside it."""

    kind: ClassVar[str] = "section"
    text: str
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: str | None = None  # None, "primary" or "danger"


@dataclass(frozen=True, kw_only=True)
class Buttons:
    kind: ClassVar[str] = "buttons"
    buttons: tuple[Button, ...]


FEW_OPTIONS = 5  # what fits a row of buttons; more may be shown as a list


@dataclass(frozen=True, kw_only=True)
class Option:
    label: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Choices:
    """A pick-one question such as a 1–5 scale.

    A platform may show many options (more than `FEW_OPTIONS`) as a list to pick from, sent with a
    button labelled `submit`, rather than as a row of buttons.
    """

    kind: ClassVar[str] = "choices"
    action_id: str
    options: tuple[Option, ...]
    submit: str = ""


@dataclass(frozen=True, kw_only=True)
class Context:
    """Small print under a message: a hint, where something came from."""

    kind: ClassVar[str] = "context"
    text: str


@dataclass(frozen=True, kw_only=True)
class FormQuestion:
    """One step of a conversational form, answered by typing or by pressing one of its options.

    A press sends an Action `action_id` whose value is `answer_value(option)`: the form's reference
    (session and step) plus the option's value, so that a press on an old step can be recognised.
    Free-text questions have no options. Many options may be shown as a list, as for `Choices`.
    """

    kind: ClassVar[str] = "form_question"
    text: str
    action_id: str
    ref: str
    progress: str = ""
    options: tuple[Option, ...] = ()
    hint: str = ""
    submit: str = ""

    def answer_value(self, option: Option) -> str:
        return f"{self.ref}/{option.value}"


@dataclass(frozen=True, kw_only=True)
class File:
    """A file sent with the message, such as a person's data export. `content` is text (JSON, CSV)."""

    kind: ClassVar[str] = "file"
    name: str
    mime: str
    content: str


Part = Text | Section | Buttons | Choices | Context | FormQuestion | File

_PART_TYPES: dict[str, type] = {
    cls.kind: cls for cls in (Text, Section, Buttons, Choices, Context, FormQuestion, File)
}
_NESTED: dict[str, type] = {"fields": Field, "buttons": Button, "options": Option}


@dataclass(frozen=True, kw_only=True)
class Reply:
    """What to show one person or channel. `summary` is the notification / fallback text.

    `error` marks the polite answer to a mistake (a UserError): nothing was done, so an adapter may
    keep a submitted form open and show it there, beside the input named by `field` when there is one.
    """

    parts: tuple[Part, ...]
    summary: str = ""
    error: bool = False
    field: str = ""

    @classmethod
    def text(cls, text: str) -> Reply:
        return cls(parts=(Text(text=text),), summary=text)

    @classmethod
    def mistake(cls, text: str, *, field: str | None = None) -> Reply:
        """The answer to a UserError."""
        return cls(parts=(Text(text=text),), summary=text, error=True, field=field or "")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "summary": self.summary,
            "parts": [_part_to_dict(part) for part in self.parts],
        }
        if self.error:
            data.update(error=True, field=self.field)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return _restore(
            cls,
            {
                "parts": tuple([_part_from_dict(p) for p in data["parts"]]),
                "summary": data.get("summary", ""),
                "error": data.get("error", False),
                "field": data.get("field", ""),
            },
        )

    def plain_text(self) -> str:
        """The reply as plain text, without markup, for fallbacks and logs."""
        return plain("\n".join(_plain(part) for part in self.parts))

    def plain_summary(self) -> str:
        """The notification text: the summary (else the whole reply) as plain text."""
        return plain(self.summary) if self.summary else self.plain_text()


def _part_to_dict(part: Part) -> dict[str, Any]:
    # Not dataclasses.asdict, which deep-copies every string: a quarter of queueing 10,000 prompts.
    data: dict[str, Any] = {"type": part.kind}
    for name in _field_names(type(part)):
        value = getattr(part, name)
        if name in _NESTED:
            value = [{n: getattr(item, n) for n in _field_names(type(item))} for item in value]
        data[name] = value
    return data


def _part_from_dict(data: dict[str, Any]) -> Part:
    cls = _PART_TYPES[data["type"]]
    # Only the class's own fields (a stored payload may carry more), and none given as null
    values: dict[str, Any] = {}
    for name in _field_names(cls):
        value = data.get(name)
        if value is not None:
            nested = _NESTED.get(name)
            values[name] = value if nested is None else tuple([_restore(nested, item) for item in value])
    return _restore(cls, values)


_new = object.__new__


def _restore(cls: type, values: dict[str, Any]) -> Any:
    """An instance of the frozen dataclass `cls` with `values`, restored as `pickle` restores one
    (its attributes set, `__init__` not called; a field left out keeps its class default). The
    delivery worker rebuilds a reply for every message it sends: through `__init__`, which sets
    each field of a frozen dataclass with `object.__setattr__`, a check-in prompt took 6.5 us to
    rebuild instead of 3.7. What is restored was written by `to_dict`."""
    instance = _new(cls)
    instance.__dict__.update(values)
    return instance


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    # Read once per part type: the delivery worker rebuilds a reply for every message it sends.
    return tuple(f.name for f in fields(cls))


def _plain(part: Part) -> str:
    if isinstance(part, Section):
        return "\n".join([part.text, *(f"{f.label}: {f.value}" for f in part.fields)])
    if isinstance(part, Buttons):
        return " ".join(f"[{b.label}]" for b in part.buttons)
    if isinstance(part, Choices):
        return " ".join(f"[{o.label}]" for o in part.options)
    if isinstance(part, File):
        return f"📎 {part.name}"
    if isinstance(part, FormQuestion):
        return " ".join([part.progress, part.text, *(f"[{o.label}]" for o in part.options)]).strip()
    return part.text


_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"(?<![\w_])_([^_\n]+)_(?![\w_])")
_INSIDE = operator.itemgetter(1)  # a match's text without its marks (a string template took 5 us)


def plain(text: str) -> str:
    """`text` without Rapport's markup: `*bold*` and `_italic_` lose their marks (a snake_case word or
    a lone asterisk keeps them), for what a platform shows as plain text."""
    if "*" in text:
        text = _BOLD.sub(_INSIDE, text)
    return _ITALIC.sub(_INSIDE, text) if "_" in text else text


def split_text(text: str, size: int) -> Iterator[str]:
    """`text` in pieces of at most `size` characters, broken at a line end or a space when there is
    one in the second half of a piece; nothing is left out but the whitespace at a break."""
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        cut = cut if cut > size // 2 else size
        yield text[:cut]
        text = text[cut:].lstrip("\n ")
    if text:
        yield text


Item = TypeVar("Item")


def paginate(
    groups: Sequence[Sequence[Item]], *, size: Callable[[Item], int], budget: int, most: int
) -> list[list[Item]]:
    """A reply's rendered pieces in pages, for a platform that limits what one message may hold.

    Each page holds at most `most` items whose sizes add up to at most `budget`. `groups` are the
    pieces of each part in order; a part starts a new page rather than be split, unless it cannot fit
    on one page by itself. Nothing is left out and the order is kept, so a long reply arrives whole,
    as a few messages one after the other.
    """
    pages: list[list[Item]] = [[]]
    used = 0
    for group in groups:
        sizes = [size(item) for item in group]
        whole = sum(sizes)
        fits_alone = whole <= budget and len(group) <= most
        if pages[-1] and fits_alone and (used + whole > budget or len(pages[-1]) + len(group) > most):
            pages.append([])
            used = 0
        for item, item_size in zip(group, sizes, strict=True):
            if pages[-1] and (used + item_size > budget or len(pages[-1]) >= most):
                pages.append([])
                used = 0
            pages[-1].append(item)
            used += item_size
    return [page for page in pages if page]
