"""The `rapport` command line. Each module in this package adds its own subcommands."""

from __future__ import annotations

import argparse
import asyncio

from adapters.app import build_app
from adapters.cli import database, outbox, serve, shell, slack
from bot.clock import ShiftedClock, SystemClock
from bot.settings import Settings

MODULES = (database, shell, serve, outbox, slack)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="rapport", description="Continuous performance conversations in chat."
    )
    sub = root.add_subparsers(dest="command", required=True)
    for module in MODULES:
        module.add_commands(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, build the app once, run the chosen command's coroutine `run(app, args)`."""
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    clock = ShiftedClock(SystemClock()) if getattr(args, "shifted_clock", False) else SystemClock()

    async def run() -> int:
        app = build_app(settings, clock=clock)
        try:
            return await args.run(app, args)
        finally:
            await app.close()

    return asyncio.run(run())
