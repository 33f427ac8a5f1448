"""`rapport migrate`."""

from __future__ import annotations

import argparse

from adapters.app import App
from store.migrate import upgrade


async def migrate(app: App, args: argparse.Namespace) -> int:
    await upgrade(app.db)
    print("Database is at the latest schema.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("migrate", help="upgrade the database to the latest schema")
    parser.set_defaults(run=migrate, needs_schema=False)
