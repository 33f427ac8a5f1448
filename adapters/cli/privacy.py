"""`rapport person erase|export EMAIL`, `rapport audit`, `rapport org retention --months N|off`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from adapters.app import App
from adapters.cli.common import counted, organisation
from bot.features.privacy import retention
from bot.features.privacy.erase import erase_person
from bot.features.privacy.export import gather
from bot.numbers import MAX_COUNT, small_count
from store import audit, erasure_tables, people

OPERATOR = "command line"
ERASED_NOT_YET_FROM_DISK = {
    "sqlite": "The write-ahead log could not be emptied now (another process kept reading): run this "
    "again when the server is quiet, or stop it first.",
    "postgresql": "Rapport may not CHECKPOINT here: the old table files go at the server's next checkpoint "
    "(checkpoint_timeout, five minutes by default).",
}


async def erase(app: App, args: argparse.Namespace) -> int:
    if not args.yes:
        print(f"This removes everything {args.email} wrote and everything about them, for good. "
              "Run again with --yes to do it.", file=sys.stderr)  # fmt: skip
        return 2
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        person = org and await people.by_email(session, org_id=org.id, email=args.email)
        if org is None:
            return 1
        if person is not None:
            await erase_person(
                session,
                org_id=org.id,
                person_id=person.id,
                now=app.clock.now(),
                actor_label=OPERATOR,
                catalogue=app.catalogue,
            )
    if person is None:
        print(f"Nobody with the email {args.email} remains in {org.slug!r} (erased already, or never here).")
    else:
        print(f"Erased {args.email}: their words are gone everywhere; anonymous counts remain.")
    done = await app.db.forget_erased(tables=erasure_tables.TABLES, compact=args.compact)
    if args.compact:
        print("The tables that held their words are rewritten, without the old versions of their rows.")
    if not done:
        print(ERASED_NOT_YET_FROM_DISK["sqlite" if app.db.is_sqlite else "postgresql"], file=sys.stderr)
    return 0


async def export(app: App, args: argparse.Namespace) -> int:
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        person = org and await people.by_email(session, org_id=org.id, email=args.email)
        if person is None:
            print(f"There is nobody with the email {args.email} here.", file=sys.stderr)
            return 1
        data = await gather(session, org=org, person=person, now=app.clock.now())
        await audit.record(
            session,
            org_id=org.id,
            action="export",
            now=app.clock.now(),
            actor_label=OPERATOR,
            subject_id=person.id,
        )
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, text + "\n", encoding="utf-8")
        print(f"Wrote {args.out}.")
    else:
        print(text)
    return 0


async def show_audit(app: App, args: argparse.Namespace) -> int:
    async with app.db.read() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        rows = await audit.entries(session, org_id=org.id, limit=args.limit)
    for entry, subject in rows:
        who = entry.actor_label
        about = f" about {subject}" if subject else ""
        print(f"{entry.created_at:%Y-%m-%d %H:%M} UTC  {who}: {entry.action}{about}")
    if not rows:
        print("Nothing audited yet.")
    return 0


async def set_retention(app: App, args: argparse.Namespace) -> int:
    months = None if args.months == "off" else small_count(args.months)
    if args.months != "off" and months is None:
        print(f"Give a number of months from 1 to {MAX_COUNT}, or off.", file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        org.retention_months = months
        removed = await retention.apply_retention(session, org_id=org.id, months=months, now=app.clock.now())
        if months:
            await retention.plan(session, org_id=org.id, now=app.clock.now())
    if months:
        older = counted(months, "month", "months")
        print(f"Check-in answers older than {older} are removed daily; {removed} removed now.")
    else:
        print("Retention is off: check-in answers are kept.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    person = sub.add_parser("person", help="a person's data: export or erase").add_subparsers(
        dest="what", required=True
    )
    eraser = person.add_parser(
        "erase", help="remove a person's personal content everywhere (keeps anonymous counts)"
    )
    eraser.add_argument("email")
    eraser.add_argument("--yes", action="store_true", help="really do it")
    eraser.add_argument(
        "--compact",
        action="store_true",
        help="then rewrite the tables that held their words, so no old row version stays on disk "
        "(PostgreSQL: VACUUM FULL, which locks each table while it runs; SQLite: VACUUM)",
    )
    eraser.add_argument("--org")
    eraser.set_defaults(run=erase)
    exporter = person.add_parser("export", help="everything Rapport holds about a person, as JSON")
    exporter.add_argument("email")
    exporter.add_argument("--out", help="write to this file instead of standard output")
    exporter.add_argument("--org")
    exporter.set_defaults(run=export)
    log = sub.add_parser("audit", help="who viewed or took whose data, newest first")
    log.add_argument("--limit", type=int, default=100)
    log.add_argument("--org")
    log.set_defaults(run=show_audit)
    keep = sub.add_parser("retention", help="remove check-in answers older than N months (or off)")
    keep.add_argument("--months", required=True, help="a number of months, or off")
    keep.add_argument("--org")
    keep.set_defaults(run=set_retention)
