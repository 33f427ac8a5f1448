"""The message catalogue: every string Rapport sends, keyed, in English and Simplified Chinese."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

LOCALES = ("en", "zh-Hans")
DEFAULT_LOCALE = "en"
MAX_SPELLINGS = 100
# A message that depends on a number is written once per plural category, as `key.one` and
# `key.other` (CLDR's categories: English has both, Chinese only `other`), and looked up as `key`
# with a `count` parameter.
PLURAL_FORMS = ("one", "other")


def normalise_locale(value: str | None) -> str | None:
    """Map what platforms send ("zh-CN", "zh_Hans", "en-US") onto a catalogue locale, or None."""
    if not value:
        return None
    tag = value.replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-Hans"
    if tag.startswith("en"):
        return "en"
    return None


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def plural_form(locale: str, params: dict[str, object]) -> str:
    """The plural category of `params["count"]` in `locale`: "one" for exactly 1 in English,
    "other" for every other number, and always "other" in Chinese, which does not inflect."""
    count = params.get("count")
    if locale == "en" and count == 1:
        return "one"
    return "other"


def _template(table: dict[str, str], key: str, locale: str, params: dict[str, object]) -> str | None:
    """The message `key` in one locale's table (its plural form for `params`), or None. An empty
    message (a command with no usage hint) is a message."""
    found = table.get(key)
    return found if found is not None else table.get(f"{key}.{plural_form(locale, params)}")


class Phrase:
    """A piece of a message written in its reader's language, whoever's turn builds it: a notice to
    someone else formats its days and fragments (", due Fri 5 Dec 2026") when their catalogue renders
    it, not in the language of the person who acted. `Phrase(lambda t: due_text(t, action))`."""

    def __init__(self, write: Callable[[Messages], str]) -> None:
        self.write = write

    def __call__(self, t: Messages) -> str:
        return self.write(t)


class Catalogue:
    """All locales' messages, loaded once by the composition root."""

    def __init__(self, tables: dict[str, dict[str, str]]) -> None:
        self.tables = tables
        self._bound: dict[str | None, Messages] = {}

    @classmethod
    def load(cls) -> Catalogue:
        """Read `bot/messages/<locale>/*.toml`: one file per feature, merged per locale."""
        root = Path(__file__).parent / "messages"
        tables: dict[str, dict[str, str]] = {}
        for locale in LOCALES:
            table: dict[str, str] = {}
            for path in sorted((root / locale).iterdir(), key=lambda p: p.name):
                if path.name.endswith(".toml"):
                    table.update(_flatten(tomllib.loads(path.read_text("utf-8"))))
            tables[locale] = table
        return cls(tables)

    def has(self, key: str) -> bool:
        """Whether `key` names a message (a plural one by its forms)."""
        english = self.tables[DEFAULT_LOCALE]
        return key in english or f"{key}.other" in english

    def messages(self, locale: str | None) -> Messages:
        """Messages in `locale`, falling back to English for an unknown one (made once per spelling
        of a locale: every turn asks for several)."""
        bound = self._bound.get(locale)
        if bound is None:
            bound = Messages(self, normalise_locale(locale) or DEFAULT_LOCALE)
            if len(self._bound) < MAX_SPELLINGS:  # what platforms send is not ours to bound
                self._bound[locale] = bound
        return bound


class Messages:
    """The catalogue bound to one locale: what a feature uses to speak to one person."""

    def __init__(self, catalogue: Catalogue, locale: str) -> None:
        self.catalogue = catalogue
        self.locale = locale

    def __call__(self, key: str, **params: object) -> str:
        template = _template(self.catalogue.tables[self.locale], key, self.locale, params)
        if template is None:
            template = _template(self.catalogue.tables[DEFAULT_LOCALE], key, DEFAULT_LOCALE, params)
        if template is None:
            raise KeyError(key)
        return template.format(**{name: self._written(value) for name, value in params.items()})

    def _written(self, value: object) -> object:
        """A parameter as this reader reads it: a day in their language's format, a `Phrase` in their
        language; anything else (what a person typed, a name, a number) as it is."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return self.day(value)
        return value(self) if isinstance(value, Phrase) else value

    def day(self, day: date) -> str:
        """A day as people read it in this language: "Fri 5 Dec 2026", "2026年12月5日（周五）"."""
        weekday = self("date.weekdays").split(",")[day.weekday()]
        month = self("date.months").split(",")[day.month - 1]
        return self("date.day", weekday=weekday, day=day.day, month=month, year=day.year)

    def join(self, items: Iterable[str]) -> str:
        """'A, B and C' in English, 'A、B和C' in Chinese."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        if len(items) == 2:
            return self("list.pair", first=items[0], second=items[1])
        rest = self("list.separator").join(items[:-1])
        return self("list.last", rest=rest, last=items[-1])
