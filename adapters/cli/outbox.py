"""`rapport outbox --failed`: messages that could not be delivered, and why."""

from __future__ import annotations

import argparse
import sys

from adapters.app import App
from adapters.cli.common import counted
from store import orgs, outbox


async def show_outbox(app: App, args: argparse.Namespace) -> int:
    """List the organisation's outgoing messages in one status (failed ones by default)."""
    slug = args.org or app.settings.org
    async with app.db.read() as session:
        org = await orgs.by_slug(session, slug)
        if org is None:
            print(f"No organisation {slug!r}.", file=sys.stderr)
            return 1
        rows = await outbox.for_org(session, org_id=org.id, status=args.status, limit=args.limit)
    for row in rows:
        to = f"person {row.recipient_id}" if row.kind == "dm" else row.channel_id
        summary = " ".join((row.payload.get("summary") or "").split())[:60]
        print(
            f"#{row.id} {row.created_at:%Y-%m-%d %H:%M} {row.platform} {row.kind} to {to}, "
            f"{counted(row.attempts, 'attempt', 'attempts')}: {row.last_error or '-'} | {summary}"
        )
    print(f"{counted(len(rows), args.status + ' message', args.status + ' messages')}.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("outbox", help="list outgoing messages, failed ones by default")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--failed", dest="status", action="store_const", const="failed", help="failed (default)"
    )
    group.add_argument("--pending", dest="status", action="store_const", const="pending", help="not yet sent")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG)")
    parser.add_argument("--limit", type=int, default=100)
    parser.set_defaults(run=show_outbox, status="failed")
