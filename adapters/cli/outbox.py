"""`rapport outbox`: outgoing messages that are waiting, failed or dropped, and why; `rapport outbox retry`
sends some again."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta

from adapters.app import App
from adapters.cli.common import counted, organisation
from store import outbox
from store.models import OutboxMessage

LISTED = {"failed": ("failed",), "pending": ("pending", "sending"), "dropped": ("dropped",)}


async def show_outbox(app: App, args: argparse.Namespace) -> int:
    """List the organisation's outgoing messages in one state (failed ones by default), oldest first,
    with their age, attempts, next attempt and last error."""
    async with app.db.read() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        rows = await outbox.for_org(session, org_id=org.id, statuses=LISTED[args.status], limit=args.limit)
    now = app.clock.now()
    for row in rows:
        print(describe(row, now=now))
    print(f"{counted(len(rows), args.status + ' message', args.status + ' messages')}.")
    return 0


def describe(row: OutboxMessage, *, now: datetime) -> str:
    """One line: what, to whom, how old, how often tried, what happens next, why, and its summary."""
    to = f"person {row.recipient_id}" if row.kind in ("dm", "home") else row.channel_id
    summary = " ".join((row.payload.get("summary") or "").split())[:60]
    parts = [
        f"#{row.id} {row.status}: {row.platform} {row.kind} to {to}",
        f"age {duration(now - row.created_at)}",
        counted(row.attempts, "attempt", "attempts"),
    ]
    if row.status == "pending":
        wait = row.next_attempt_at - now
        parts.append(f"next attempt in {duration(wait)}" if wait > timedelta(0) else "next attempt now")
    elif row.status == "sending":
        parts.append(f"being sent (lease ends in {duration(max(row.next_attempt_at - now, timedelta(0)))})")
    if row.status in ("pending", "sending"):
        parts.append(f"useful until {row.expires_at:%Y-%m-%d %H:%M} UTC")
    return ", ".join(parts) + f": {row.last_error or '-'} | {summary}"


def duration(span: timedelta) -> str:
    """A span as a person reads it: 45s, 7m 5s, 2h 5m, 3d 4h."""
    seconds = max(int(span.total_seconds()), 0)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    units = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    while len(units) > 1 and units[0][0] == 0:
        units.pop(0)
    return " ".join(f"{value}{unit}" for value, unit in units[:2])


async def retry_outbox(app: App, args: argparse.Namespace) -> int:
    """Send the given messages again (failed, dropped, or pending ones waiting for their next try),
    or every failed one with --failed; say which could not be, and why."""
    if bool(args.ids) == args.all_failed:
        print(
            "Name the messages to send again (their ids), or --failed for every failed one.", file=sys.stderr
        )
        return 2
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        ids = args.ids or None
        due = await outbox.retry(session, org_id=org.id, now=app.clock.now(), message_ids=ids)
        left = sorted(set(args.ids) - set(due))
        found = {row.id: row for row in await outbox.for_org(session, org_id=org.id, message_ids=left)}
    listed = ", ".join(f"#{message_id}" for message_id in due)
    print(f"{counted(len(due), 'message', 'messages')} to be sent again" + (f": {listed}." if due else "."))
    for message_id in left:
        print(f"#{message_id}: {_not_retried(found.get(message_id), org_slug=org.slug)}", file=sys.stderr)
    return 1 if left else 0


def _not_retried(row: OutboxMessage | None, *, org_slug: str) -> str:
    if row is None:
        return f"no such message in {org_slug}"
    if row.status == "sent":
        return f"already sent, at {row.sent_at:%Y-%m-%d %H:%M} UTC"
    return "being sent right now"


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "outbox", help="outgoing messages that failed (by default), wait or were dropped; `retry` sends again"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--failed", dest="status", action="store_const", const="failed", help="failed for good (default)"
    )
    group.add_argument(
        "--pending", dest="status", action="store_const", const="pending", help="not yet sent (or being sent)"
    )
    group.add_argument(
        "--dropped",
        dest="status",
        action="store_const",
        const="dropped",
        help="not sent before they were no longer useful",
    )
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG)")
    parser.add_argument("--limit", type=int, default=100)
    parser.set_defaults(run=show_outbox, status="failed")
    actions = parser.add_subparsers(dest="outbox_command")
    retry = actions.add_parser("retry", help="send messages again: by id, or every failed one")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="outbox message ids")
    retry.add_argument("--failed", dest="all_failed", action="store_true", help="every failed message")
    retry.add_argument("--org", default=argparse.SUPPRESS, help="organisation slug (default: RAPPORT_ORG)")
    retry.set_defaults(run=retry_outbox)
