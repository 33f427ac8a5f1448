"""`rapport report --period 2026-Q4 [--department X | --team EMAIL] [--format table|csv|json]`."""

from __future__ import annotations

import argparse
import json
import sys

from adapters.app import App
from adapters.cli.common import organisation
from adapters.cli.privacy import OPERATOR
from bot.errors import UserError
from bot.insights.formats import to_csv, to_json, to_text
from bot.insights.period import parse_period
from bot.insights.report import TABLE_KEYS, Scope
from bot.insights.views import view_report
from store import people


async def report(app: App, args: argparse.Namespace) -> int:
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        t = app.catalogue.messages(args.locale or org.default_locale)
        try:
            period = parse_period(args.period)
        except UserError as error:
            print(error.explain(t), file=sys.stderr)
            return 1
        scope = (
            Scope(kind="department", department=args.department)
            if args.department
            else Scope(kind="organisation")
        )
        if args.team:
            manager = await people.by_email(session, org_id=org.id, email=args.team)
            if manager is None:
                print(f"There is nobody with the email {args.team} here.", file=sys.stderr)
                return 1
            scope = Scope(kind="team", manager=manager)
        try:
            found = await view_report(
                session,
                org=org,
                scope=scope,
                period=period,
                t=t,
                now=app.clock.now(),
                viewer=None,
                actor_label=OPERATOR,
                what=f"report:{args.format}",
            )
        except UserError as error:  # no such department
            print(t(error.key, **error.params), file=sys.stderr)
            return 1
    if args.format == "csv":
        sys.stdout.write(to_csv(found, t, table=args.table))
    elif args.format == "json":
        print(json.dumps(to_json(found, t), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(to_text(found, t))
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "report", help="HR figures for a period: completion and quality per department, never content"
    )
    command.add_argument(
        "--period", required=True, help="a year (2026), quarter (2026-Q4) or month (2026-11)"
    )
    group = command.add_mutually_exclusive_group()
    group.add_argument("--department", help="one department, by team")
    group.add_argument("--team", metavar="EMAIL", help="one manager's team")
    command.add_argument("--format", choices=("table", "csv", "json"), default="table")
    command.add_argument("--table", choices=TABLE_KEYS, help="only this table (csv)")
    command.add_argument("--locale", choices=("en", "zh-Hans"), help="the language of labels")
    command.add_argument("--org")
    command.set_defaults(run=report)
