"""Help: `/help` (`/rapport` too, see presence), unknown commands, free text no form waits for.

The list of commands is the router's own, each described by the catalogue's `commands.<name>` (the
texts of the platforms' command menus), so a command cannot be registered and left out of help.
"""

from __future__ import annotations

from dataclasses import replace

from bot.errors import UserError
from bot.events import Command
from bot.i18n import Messages
from bot.replies import Reply
from bot.router import Handler, Router
from bot.subcommands import SubHandler, nearest
from bot.turn import Turn

HELP_NAMES = ("help", "帮助")


def overview(t: Messages, names: list[str]) -> str:
    """What Rapport is, then one line per command: how to type it and what it does."""
    lines = [t("help.general")]
    for name in names:
        usage = t(f"commands.{name}.usage_hint")
        key = "help.command" if usage else "help.command_bare"
        lines.append(t(key, name=name, usage=usage, description=t(f"commands.{name}.description")))
    lines.append(t("help.more"))
    return "\n".join(lines)


def general_help(router: Router) -> SubHandler:
    """The overview as a sub-command (`/rapport`, `/rapport help`)."""

    async def show(turn: Turn, _text: str) -> Reply:
        return Reply.text(overview(turn.t, router.names))

    return show


def _unknown_command(router: Router) -> Handler:
    async def unknown(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Command)
        if meant := nearest(event.name.lower(), router.names):  # "/kudo", "/feedbak": asked back
            typed, suggestion = (f"/{name} {event.text}".strip() for name in (event.name, meant))
            raise UserError("command.did_you_mean", typed=typed, suggestion=suggestion, how="")
        unknown = turn.t("error.unknown_command", command=f"/{event.name}")
        return Reply.text(f"{unknown}\n{overview(turn.t, router.names)}")

    return unknown


async def free_text(turn: Turn) -> Reply:
    return Reply.text(turn.t("help.free_text"))


def _named(router: Router, text: str) -> str | None:
    """The command `/help goal` (or `/help /goal`, `/帮助 目标`, `/help goals`) asks about, if any."""
    word = text.split(maxsplit=1)[0].lstrip("/").lower() if text.strip() else ""
    name = word if word in router.commands else nearest(word, router.names) if word else None
    return None if name in (None, *HELP_NAMES) else name


def register(router: Router) -> None:
    show = general_help(router)

    async def help_command(turn: Turn) -> Reply:
        event = turn.event
        assert isinstance(event, Command)
        if name := _named(router, event.text):  # the command's own help, as `/goal help` gives it
            return await router.dispatch(replace(turn, event=replace(event, name=name, text="help")))
        return await show(turn, "")

    router.command(*HELP_NAMES)(help_command)
    router.unknown_command(_unknown_command(router))
    router.message(free_text)
