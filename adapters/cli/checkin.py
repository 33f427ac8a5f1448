"""`rapport checkin template import FILE`, `rapport checkin schedule ...` and `rapport holidays import FILE`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

import yaml

from adapters.app import App
from adapters.cli.common import counted, organisation
from bot.checkins.cycle import FORM_KEY
from bot.checkins.schedule_text import parse
from bot.checkins.team import apply_schedule
from bot.forms.template import TemplateError, load
from store import forms, presence


async def import_template(app: App, args: argparse.Namespace) -> int:
    try:
        definition = load(await asyncio.to_thread(Path(args.file).read_text, "utf-8"), key=FORM_KEY)
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {args.file}: {error}", file=sys.stderr)
        return 1
    except TemplateError as error:
        print(f"{args.file} is not a valid check-in template:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        row = await forms.add_template(
            session, org_id=org.id, key=FORM_KEY, definition=definition, now=app.clock.now()
        )
    print(
        f"Imported check-in template version {row.version} "
        f"({counted(len(definition['questions']), 'question', 'questions')}). "
        "New check-ins use it; those already open finish on their version."
    )
    return 0


def read_holidays(text: str) -> list[tuple[date, str]]:
    """Holidays from YAML: a mapping of date to name, or a list of {date, name}."""
    data = yaml.safe_load(text)
    items = data.items() if isinstance(data, dict) else [(h.get("date"), h.get("name")) for h in data or []]
    days = []
    for day, name in items:
        if not isinstance(day, date):
            raise ValueError(f"{day!r} is not a date like 2026-12-25")
        days.append((day, str(name or "")))
    return days


async def import_holidays(app: App, args: argparse.Namespace) -> int:
    try:
        days = read_holidays(await asyncio.to_thread(Path(args.file).read_text, "utf-8"))
    except (OSError, ValueError, AttributeError, yaml.YAMLError) as error:
        print(f"Cannot read holidays from {args.file}: {error}", file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        count = await presence.replace_holidays(session, org_id=org.id, days=days)
    print(f"The holiday calendar now has {counted(count, 'day', 'days')}; check-ins skip them.")
    return 0


async def team_schedule(app: App, args: argparse.Namespace) -> int:
    wanted = parse(app.catalogue, args.schedule)
    if wanted is None or wanted.off:
        print(f'Cannot read {args.schedule!r} as a schedule; try "weekly friday 16:00".', file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        applied = await apply_schedule(
            session,
            org_id=org.id,
            wanted=wanted,
            now=app.clock.now(),
            department=args.department,
            replace=args.replace,
        )
    who = f"department {args.department!r}" if args.department else "the organisation"
    print(f"Check-in schedule set for {applied.set} people in {who}; {applied.kept} kept their own.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    checkin = sub.add_parser("checkin", help="check-in templates").add_subparsers(dest="what", required=True)
    template = checkin.add_parser("template", help="check-in templates").add_subparsers(
        dest="how", required=True
    )
    load_template = template.add_parser("import", help="import a check-in template from YAML (a new version)")
    load_template.add_argument("file")
    load_template.add_argument("--org", help="organisation slug (default: RAPPORT_ORG)")
    load_template.set_defaults(run=import_template)
    team = checkin.add_parser(
        "schedule",
        help='one schedule for everyone, or a department: rapport checkin schedule "weekly friday 16:00"',
    )
    team.add_argument("schedule", help='e.g. "weekly friday 16:00", "every two weeks monday 9:30"')
    team.add_argument("--department", help="only this department (as in the people CSV)")
    team.add_argument(
        "--replace", action="store_true", help="also change the schedules people chose themselves"
    )
    team.add_argument("--org", help="organisation slug (default: RAPPORT_ORG)")
    team.set_defaults(run=team_schedule)
    holidays = sub.add_parser("holidays", help="the organisation's holidays").add_subparsers(
        dest="how", required=True
    )
    load_holidays = holidays.add_parser("import", help="replace the holidays with a YAML file (date: name)")
    load_holidays.add_argument("file")
    load_holidays.add_argument("--org", help="organisation slug (default: RAPPORT_ORG)")
    load_holidays.set_defaults(run=import_holidays)
