"""Dispatch by registry: features register their commands and actions on a Router."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.errors import UserError
from bot.events import Action, Command, HomeOpened, Message
from bot.replies import Reply
from bot.turn import Turn

Handler = Callable[[Turn], Awaitable[Reply | None]]
# Handles turns of one command together (`bot.batch`): each turn's reply, or the refusal it would raise.
BatchHandler = Callable[[list[Turn]], Awaitable[list[Reply | UserError]]]


class Router:
    """Maps events to feature handlers.

    Commands are found by name (and aliases), actions by their action id (the data they act on
    travels in the action's value), free text by the first message handler that answers.
    """

    def __init__(self) -> None:
        self._commands: dict[str, Handler] = {}
        self._names: list[str] = []  # each command once, by its own name (not its aliases)
        self._batched: dict[str, BatchHandler] = {}
        self._actions: dict[str, Handler] = {}
        self._messages: list[Callable[[Turn], Awaitable[Reply | None]]] = []
        self._fallback_command: Handler | None = None
        self._home: Handler | None = None

    def command(self, name: str, *aliases: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            for key in (name, *aliases):
                if key in self._commands:
                    raise ValueError(f"command {key!r} is registered twice")
                self._commands[key] = handler
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

    def message(self, handler: Handler) -> Handler:
        """Register a handler for free text; it returns None to let the next one try."""
        self._messages.append(handler)
        return handler

    def home(self, handler: Handler) -> Handler:
        """Register the handler that builds a person's home view (HomeOpened)."""
        self._home = handler
        return handler

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

    async def dispatch(self, turn: Turn) -> Reply | None:
        event = turn.event
        if isinstance(event, Command):
            handler = self._commands.get(event.name.lower().lstrip("/")) or self._fallback_command
            return await handler(turn) if handler else None
        if isinstance(event, Action):
            handler = self._actions.get(event.action_id)
            if handler is None:
                raise UserError("error.unknown_command", command=event.action_id)
            return await handler(turn)
        if isinstance(event, Message):
            for handler in self._messages:
                reply = await handler(turn)
                if reply is not None:
                    return reply
            return None
        if isinstance(event, HomeOpened) and self._home is not None:
            return await self._home(turn)
        return None


SubHandler = Callable[[Turn, str], Awaitable[Reply]]
HELP_WORDS = ("", "help", "帮助")


def subcommands(table: Mapping[str, SubHandler], *, otherwise: SubHandler) -> Handler:
    """A command handler that dispatches on the command's first word.

    `/action done 12` runs `table["done"](turn, "12")`; a first word not in the table runs
    `otherwise(turn, whole_text)` (creating an action, say, or showing help).
    """

    async def handle(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Command)
        word, _, rest = event.text.strip().partition(" ")
        handler = table.get(word.lower())
        return await handler(turn, rest.strip()) if handler else await otherwise(turn, event.text)

    return handle


def help_text(key: str) -> SubHandler:
    """A sub-command that answers with one catalogue text."""

    async def show(turn: Turn, _text: str) -> Reply:
        return Reply.text(turn.t(key))

    return show
