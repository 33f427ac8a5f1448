"""Dispatch by registry: features register their commands, actions, jobs and evidence on a Router.
(A command's sub-commands are dispatched by `bot.subcommands`.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from bot.errors import UserError
from bot.events import Action, Command, HomeOpened, Message
from bot.evidence import Gatherer, Source
from bot.jobs import Batched, Job
from bot.numbers import looks_like_id
from bot.replies import Reply
from bot.turn import Turn

Handler = Callable[[Turn], Awaitable[Reply | None]]
# Handles turns of one command together (`bot.batch`): each turn's reply, or the refusal it would raise.
BatchHandler = Callable[[list[Turn]], Awaitable[list[Reply | UserError]]]


class Router:
    """Maps events to feature handlers.

    Commands are found by name (and aliases), actions by their action id (the data they act on
    travels in the action's value), free text by the first message handler that answers, due work
    by its kind (`jobs`, which the scheduler runs), what each feature adds to a review's evidence by
    name (`sources`, which the reviews feature gathers).
    """

    def __init__(self) -> None:
        self._commands: dict[str, Handler] = {}
        self._subwords: dict[str, frozenset[str]] = {}  # a command's sub-command words, by every name
        self._names: list[str] = []  # each command once, by its own name (not its aliases)
        self._batched: dict[str, BatchHandler] = {}
        self._actions: dict[str, Handler] = {}
        self._messages: list[Callable[[Turn], Awaitable[Reply | None]]] = []
        self._fallback_command: Handler | None = None
        self._home: Handler | None = None
        self._jobs: dict[str, Job | Batched] = {}
        self._evidence: dict[str, Source] = {}
        self._afterwords: list[Callable[[Turn, Reply], Awaitable[Reply]]] = []

    def command(self, name: str, *aliases: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for key in (name, *aliases):
                if key in self._commands:
                    raise ValueError(f"command {key!r} is registered twice")
                self._commands[key] = handler
                self._subwords[key] = frozenset(getattr(handler, "subwords", ()))
            self._names.append(name)
            return handler

        return register

    def batch_command(self, name: str, *aliases: str) -> Callable[[BatchHandler], BatchHandler]:
        """Register a command whose turns can be handled together: slash commands arriving at once
        share one transaction and a few statements between them (`bot.batch`). On its own, a turn is a
        batch of one."""

        def register(handler: BatchHandler) -> BatchHandler:
            async def one(turn: Turn) -> Reply:
                (result,) = await handler([turn])
                if isinstance(result, UserError):
                    raise result
                return result

            self.command(name, *aliases)(one)
            for key in (name, *aliases):
                self._batched[key] = handler
            return handler

        return register

    def batched(self, command: str) -> BatchHandler | None:
        """The batch handler of a command, if it has one."""
        return self._batched.get(command.lower().lstrip("/"))

    def action(self, action_id: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._actions[action_id] = handler
            return handler

        return register

    def job(self, kind: str) -> Callable[[Job | Batched], Job | Batched]:
        """Register what runs the due work of `kind` (a `Batched` pair for kinds run many at once)."""

        def register(job: Job | Batched) -> Job | Batched:
            if kind in self._jobs:
                raise ValueError(f"job {kind!r} is registered twice")
            self._jobs[kind] = job
            return job

        return register

    def evidence(
        self, name: str, *, self_review: bool = False, record: bool = False
    ) -> Callable[[Gatherer], Gatherer]:
        """Register what a feature adds to a review's evidence (`bot.evidence`), under `name`;
        `self_review`, `record`: its pieces also speak in the self-review and in the meeting's record."""

        def register(gather: Gatherer) -> Gatherer:
            if name in self._evidence:
                raise ValueError(f"evidence {name!r} is registered twice")
            self._evidence[name] = Source(gather, self_review=self_review, record=record)
            return gather

        return register

    def message(self, handler: Handler) -> Handler:
        """Register a handler for free text; it returns None to let the next one try."""
        self._messages.append(handler)
        return handler

    def home(self, handler: Handler) -> Handler:
        """Register the handler that builds a person's home view (HomeOpened)."""
        self._home = handler
        return handler

    def after_commands(self, add: Callable[[Turn, Reply], Awaitable[Reply]]) -> None:
        """Register what is added to every command's reply (a line saying a form is still open)."""
        self._afterwords.append(add)

    def unknown_command(self, handler: Handler) -> Handler:
        self._fallback_command = handler
        return handler

    @property
    def commands(self) -> list[str]:
        """Every name a command answers to, aliases included, sorted."""
        return sorted(self._commands)

    @property
    def names(self) -> list[str]:
        """Each command once, by its own name, in the order the features registered them."""
        return list(self._names)

    @property
    def jobs(self) -> dict[str, Job | Batched]:
        """What runs each kind of due work, by kind."""
        return dict(self._jobs)

    @property
    def sources(self) -> Mapping[str, Source]:
        """Each registered evidence gatherer by name; a live view, so features registered later count."""
        return MappingProxyType(self._evidence)

    async def dispatch(self, turn: Turn) -> Reply | None:
        event = turn.event
        if isinstance(event, Command):
            handler = self._commands.get(event.name.lower().lstrip("/")) or self._fallback_command
            reply = await handler(turn) if handler else None
            for add in self._afterwords if reply is not None else ():
                reply = await add(turn, reply)
            return reply
        if isinstance(event, Action):
            handler = self._actions.get(event.action_id)
            if handler is None:
                raise UserError("error.unknown_command", command=event.action_id)
            return await handler(turn)
        if isinstance(event, Message):
            if (command := self.command_in(event)) is not None:
                return await self.dispatch(replace(turn, event=command))
            for handler in self._messages:
                reply = await handler(turn)
                if reply is not None:
                    return reply
            return None
        if isinstance(event, HomeOpened) and self._home is not None:
            return await self._home(turn)
        return None

    def command_in(self, event: Message) -> Command | None:
        """The command a typed line is, though it came as text (in a DM, or while a form is open, where
        it would otherwise be taken for an answer); None when it reads as words.

        A line is a command when it starts with a command's name and a slash (`/feedback answer 1`);
        or with a command's name and one of its sub-commands, followed by nothing, a number or a
        mention (`feedback answer 1`, `action done 3`, `反馈 回答 1`); or with a sub-command only one
        command has, followed by a number (`answer 1`, `回答 1`). "Review schedule slipped" stays words.
        """
        first, rest = [*event.text.split(maxsplit=1), "", ""][:2]
        name = first.lower()
        if name.startswith("/") and name[1:] in self._commands:
            return self._as_command(event, name[1:], rest)
        sub, after = [*rest.split(maxsplit=1), "", ""][:2]
        if name in self._commands and sub.lower() in self._subwords[name] and _id_or_nothing(after):
            return self._as_command(event, name, rest)
        owners = {self._commands[key] for key, words in self._subwords.items() if name in words}
        if len(owners) == 1 and not after and looks_like_id(sub) and name not in self._commands:
            (owner,) = owners
            return self._as_command(event, next(k for k in self._names if self._commands[k] is owner), event.text)
        return None

    @staticmethod
    def _as_command(event: Message, name: str, text: str) -> Command:
        return Command(
            actor=event.actor,
            channel=event.channel,
            event_id=event.event_id,
            name=name,
            text=text.strip(),
            mentions=event.mentions,
        )


def _id_or_nothing(text: str) -> bool:
    """Whether what follows a sub-command is what a command's would be: nothing, a number, a mention."""
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    return not word or looks_like_id(word) or word.startswith(("@", "<@"))
