"""Sub-commands: a command handler that dispatches on its first word (`subcommands`, `words`), asking
back a word that is close to one it knows (`nearest`, by edit `distance`) instead of guessing, and
a sub-command that answers with one catalogue text (`help_text`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from bot.errors import UserError
from bot.events import Command
from bot.numbers import looks_like_id
from bot.replies import Reply, Text
from bot.router import Handler
from bot.turn import Turn

SubHandler = Callable[[Turn, str], Awaitable[Reply]]
HELP_WORDS = ("", "help", "帮助")


def subcommands(table: Mapping[str, SubHandler], **options: Any) -> Handler:
    """A command handler that dispatches on the command's first word: `words(table, **options)`."""
    dispatch = words(table, **options)

    async def handle(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Command)
        return await dispatch(turn, event.text)

    handle.subwords = frozenset(word.lower() for word in table if word not in HELP_WORDS)  # type: ignore[attr-defined]
    return handle


def words(
    table: Mapping[str, SubHandler],
    *,
    otherwise: SubHandler,
    synonyms: Mapping[str, str] | None = None,
    content: str | None = None,
) -> SubHandler:
    """A sub-command handler that dispatches on the first word of its text (itself a sub-command
    of a command, or nested: `/feedback request show 3`).

    `/action done 12` runs `table["done"](turn, "12")`. A first word that is not in the table is
    never taken for something it is not:
    - Close to one of the table's words (a synonym the feature lists, "complete" for "done", or a
      typo, "dnoe"), it is asked back: "I don't know `/action complete 12`. Did you mean
      `/action done 12`?".
    - With `content`, `otherwise` reads the whole text as content (an action's title, feedback):
      a close word is asked back only when what follows is empty or starts with a number, as a
      sub-command's would ("complete 5"; "Finish the slides" is a title), and the question ends
      with the `content` message, which says how to have that text read as content.
    - Without `content`, `otherwise` is the command's help, shown after "I don't know ...".
    """
    known = {**(synonyms or {}), **{word: word for word in table}}

    async def handle(turn: Turn, text: str) -> Reply:
        word, rest = [*text.split(maxsplit=1), "", ""][:2]  # any space, the ideographic one too
        handler = table.get(word.lower())
        if handler is not None:
            return await handler(turn, rest)
        meant = known.get(word.lower()) or nearest(word.lower(), table)
        if meant and (content is None or not rest or looks_like_id(rest.split()[0])):
            command, text = _command_before(turn, text), text.strip()
            raise UserError(
                "command.did_you_mean",
                typed=f"{command} {text}",
                suggestion=" ".join((command, meant, rest)).strip(),
                how="\n" + turn.t(content, text=text, command=command) if content else "",
            )
        if content is not None or not word:
            return await otherwise(turn, text)
        help_reply = await otherwise(turn, text)
        unknown = turn.t("command.unknown_word", typed=f"{_command_before(turn, text)} {text.strip()}")
        return Reply(parts=(Text(text=unknown), *help_reply.parts), summary=unknown)

    return handle


def _command_before(turn: Turn, text: str) -> str:
    """The command as typed up to `text`: `/action`, or `/feedback request` for a nested word."""
    event = turn.event
    assert isinstance(event, Command)
    whole, text = event.text.strip(), text.strip()
    before = whole[: len(whole) - len(text)].strip() if text and whole.endswith(text) else ""
    return " ".join(part for part in (f"/{event.name}", before) if part)


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate `word` is a typo of: one letter wrong, missing, added or two swapped ("dnoe",
    "shedule"), two for words of seven letters or more. Only Latin words: Chinese ones are picked
    whole from the keyboard's list, and a short word is too close to too many."""
    if len(word) < 4 or not word.isascii():
        return None
    allowed = 2 if len(word) >= 7 else 1
    scored = [(distance(word, c), c) for c in candidates if c.isascii() and len(c) >= 4]
    best = min(scored, default=(allowed + 1, ""), key=lambda pair: pair[0])
    return best[1] if best[0] <= allowed else None


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from `a` to `b`."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]


def help_text(key: str) -> SubHandler:
    """A sub-command that answers with one catalogue text."""

    async def show(turn: Turn, _text: str) -> Reply:
        return Reply.text(turn.t(key))

    return show
