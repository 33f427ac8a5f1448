"""The `rapport` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine

from adapters.app import App, build_app
from adapters.console.chat import ConsoleChat
from adapters.console.shell import Shell
from bot.clock import ShiftedClock, SystemClock
from bot.settings import Settings
from store.migrate import upgrade

Command = Callable[[App, argparse.Namespace], Coroutine[None, None, int]]
COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = fn
        return fn

    return register


@command("migrate")
async def _migrate(app: App, args: argparse.Namespace) -> int:
    await upgrade(app.db)
    print("Database is at the latest schema.")
    return 0


@command("shell")
async def _shell(app: App, args: argparse.Namespace) -> int:
    chat = ConsoleChat(app=app, org=args.org or app.settings.org)
    if not await chat.open():
        print(
            f"No organisation {chat.org!r}. Run `rapport demo-org` or `rapport org import`.", file=sys.stderr
        )
        return 1
    interactive = sys.stdin.isatty()
    shell = Shell(app=app, chat=chat, clock=app.clock, out=sys.stdout, echo=not interactive)
    if not await shell.become(args.as_email):
        return 1
    await shell.run(sys.stdin, interactive=interactive)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="rapport", description="Continuous performance conversations in chat."
    )
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database to the latest schema")
    shell = sub.add_parser("shell", help="chat with Rapport in the terminal")
    shell.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="who is typing")
    shell.add_argument("--org", help="organisation slug (default: RAPPORT_ORG or 'demo')")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    clock = ShiftedClock(SystemClock()) if args.command == "shell" else SystemClock()

    async def run() -> int:
        app = build_app(settings, clock=clock)
        try:
            return await COMMANDS[args.command](app, args)
        finally:
            await app.close()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
