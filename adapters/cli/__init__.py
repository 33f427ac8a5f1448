"""The `rapport` command line. Each module in this package adds its own subcommands."""

from __future__ import annotations

import argparse
import asyncio
import sys

from adapters.app import App, build_app
from adapters.cli import (
    admin,
    checkin,
    database,
    dingtalk,
    feishu,
    goals,
    org,
    outbox,
    privacy,
    report,
    serve,
    shell,
    slack,
    teams,
    tick,
)
from bot.clock import ShiftedClock, SystemClock
from bot.settings import Settings
from store.migrate import current_revision, head_revision

MODULES = (
    database,
    org,
    goals,
    admin,
    privacy,
    report,
    shell,
    serve,
    outbox,
    tick,
    checkin,
    slack,
    teams,
    feishu,
    dingtalk,
)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="rapport", description="Continuous performance conversations in chat."
    )
    sub = root.add_subparsers(dest="command", required=True)
    for module in MODULES:
        module.add_commands(sub)
    return root


async def _schema_is_current(app: App) -> bool:
    """Refuse to run on a database that is not migrated to the latest schema, saying what to do."""
    current, head = await current_revision(app.db), head_revision()
    if current == head:
        return True
    state = "has no Rapport schema yet" if current is None else f"is at schema {current}, not {head}"
    print(f"The database {state}. Run `rapport migrate` first.", file=sys.stderr)
    return False


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, build the app once, run the chosen command's coroutine `run(app, args)`."""
    args = parser().parse_args(argv)
    settings = Settings.from_env()
    clock = ShiftedClock(SystemClock()) if getattr(args, "shifted_clock", False) else SystemClock()

    async def run() -> int:
        app = build_app(settings, clock=clock)
        try:
            if getattr(args, "needs_schema", True) and not await _schema_is_current(app):
                return 1
            return await args.run(app, args)
        finally:
            await app.close()

    return asyncio.run(run())
