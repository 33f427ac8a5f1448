"""Help: `/help` (`/rapport` too, see presence), unknown commands, free text no form waits for."""

from __future__ import annotations

from bot.events import Command
from bot.replies import Reply
from bot.router import Router
from bot.turn import Turn


async def general_help(turn: Turn) -> Reply:
    return Reply.text(turn.t("help.general"))


async def unknown_command(turn: Turn) -> Reply:
    event = turn.event
    assert isinstance(event, Command)
    unknown = turn.t("error.unknown_command", command=f"/{event.name}")
    return Reply.text(f"{unknown}\n{turn.t('help.general')}")


async def free_text(turn: Turn) -> Reply:
    return Reply.text(turn.t("help.free_text"))


def register(router: Router) -> None:
    router.command("help", "帮助")(general_help)
    router.unknown_command(unknown_command)
    router.message(free_text)
