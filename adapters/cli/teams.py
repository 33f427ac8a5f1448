"""`rapport teams package --app-id ID --out rapport-teams.zip`: the app package to upload to Teams."""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from pathlib import Path

from adapters.app import App
from adapters.teams.package import build


async def package(app: App, args: argparse.Namespace) -> int:
    try:
        app_id = str(uuid.UUID(args.app_id))
    except ValueError:
        print(f"--app-id must be the bot's Microsoft app id (a GUID), not {args.app_id!r}.", file=sys.stderr)
        return 2
    data = build(
        app_id=app_id,
        catalogue=app.catalogue,
        registered=app.core.router.commands,
        version=args.version,
        website=args.website,
    )
    await asyncio.to_thread(Path(args.out).write_bytes, data)
    print(f"Wrote {args.out}: upload it in Teams (Apps → Manage your apps → Upload an app).")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    teams = sub.add_parser("teams", help="Microsoft Teams")
    commands = teams.add_subparsers(dest="teams_command", required=True)
    parser = commands.add_parser("package", help="write the Teams app package (manifest and icons)")
    parser.add_argument("--app-id", required=True, help="the bot's Microsoft app id (MICROSOFT_APP_ID)")
    parser.add_argument("--out", default="rapport-teams.zip", help="where to write the zip")
    parser.add_argument("--version", default="1.0.0", help="the package version Teams shows")
    parser.add_argument(
        "--website", default="https://example.com", help="your website, privacy and terms page (https)"
    )
    parser.set_defaults(run=package, needs_schema=False)
