"""`rapport tick [--at ISO-TIME]`: run the due work once (prompts, reminders), for cron, tests, demos."""

from __future__ import annotations

import argparse
from datetime import datetime

from adapters.app import App
from bot.features import build_scheduler


def _when(text: str) -> datetime:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, like 2026-12-01T09:00:00Z")
    return when


async def tick(app: App, args: argparse.Namespace) -> int:
    now = args.at or app.clock.now()
    report = await build_scheduler(db=app.db, catalogue=app.catalogue).run_due(now)
    print(f"{now.isoformat()}: {report.done} done, {report.skipped} skipped, {report.failed} failed")
    for note in report.notes:
        print(f"  skipped {note}")
    return 0 if report.failed == 0 else 1


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("tick", help="run what is due once (check-in prompts, reminders)")
    parser.add_argument("--at", type=_when, help="the time to run at, ISO 8601 with a zone (default: now)")
    parser.set_defaults(run=tick)
