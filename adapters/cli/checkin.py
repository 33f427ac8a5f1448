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
from bot.errors import UserError
from bot.features.checkins.cycle import FORM_KEY
from bot.features.checkins.schedule_text import describe, parse
from bot.features.checkins.team import Applied, apply_schedule
from bot.forms.template import TemplateError, load
from store import forms, presence
from store.schedules import OFF


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
    """Holidays from YAML: a mapping of date to name, a list of {date, name}, or a list of dates.

    Raises:
        ValueError: what is wrong, with the line, in words an administrator can act on (never a
            Python error about the YAML's types).
    """
    data = yaml.load(text, Loader=yaml.BaseLoader)  # every value a string: dates are read here
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = [(h.get("date"), h.get("name")) if isinstance(h, dict) else (h, "") for h in data]
    elif data is None:
        items = []
    else:
        raise ValueError(f"the file must list dates with their names, like {_HOLIDAY_EXAMPLE!r}, one per line")
    if any(not isinstance(name, str | None) for _, name in items):
        raise ValueError(f"each holiday is one date and its name on one line, like {_HOLIDAY_EXAMPLE!r}")
    return [(_holiday(day, text), name or "") for day, name in items]


_HOLIDAY_EXAMPLE = "2027-02-12: Spring Festival"


def _holiday(value: object, text: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        line = next((n for n, row in enumerate(text.splitlines(), 1) if str(value) in row), None)
        where = f"line {line}: " if line and isinstance(value, str) else ""
        raise ValueError(
            f"{where}{value!r} is not a date like 2027-02-12 (year-month-day, a real day); "
            f"write each holiday like {_HOLIDAY_EXAMPLE!r}"
        ) from None


async def import_holidays(app: App, args: argparse.Namespace) -> int:
    try:
        days = read_holidays(await asyncio.to_thread(Path(args.file).read_text, "utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, yaml.YAMLError) as error:
        print(f"Cannot read holidays from {args.file}: {error}", file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        count = await presence.replace_holidays(session, org_id=org.id, days=days)
    print(f"The holiday calendar now has {counted(count, 'day', 'days')}; check-ins skip them.")
    return 0


_EXAMPLES = '"weekly friday 16:00", "every two weeks monday 9:30", "monthly friday 16:00" or "off"'
_UNREADABLE = {
    "checkins.schedule.unknown_words": "Cannot read {schedule!r} as a schedule ({words!r} is not a rhythm, a day or a time); try {examples}.",
    "checkins.schedule.too_often": "Check-ins come at most once a week (they ask how the week went); try {examples}.",
    "checkins.schedule.bad": "Cannot read {schedule!r} as a schedule; try {examples}.",
}
_WHY = {"person": "chosen with /checkin schedule", "unknown": "set before Rapport recorded who chose"}


async def team_schedule(app: App, args: argparse.Namespace) -> int:
    try:
        wanted = parse(app.catalogue, args.schedule)
    except UserError as error:
        text = _UNREADABLE[error.key].format(schedule=args.schedule, examples=_EXAMPLES, **error.params)
        print(text, file=sys.stderr)
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
    print(_summary(app, args, wanted=wanted, applied=applied))
    return 0


def _summary(app: App, args: argparse.Namespace, *, wanted, applied: Applied) -> str:
    """What changed, and who kept their own schedule and why (the --replace that would change it)."""
    who = f"department {args.department!r}" if args.department else "the organisation"
    if wanted.off:
        lines = [f"Scheduled check-ins turned off for {_people(applied.set)} in {who}."]
    else:
        already = f" ({_people(applied.unchanged)} had it already)" if applied.unchanged else ""
        lines = [
            f"Check-in schedule {args.schedule!r} set for {_people(applied.set)} in {who}{already}, "
            "at that local time in each person's own time zone."
        ]
    if applied.kept:
        lines.append(f"{_people(len(applied.kept))} kept their own (add --replace to change theirs too):")
        t = app.catalogue.messages("en")
        for person, row in applied.kept:
            if row.cadence == OFF:
                rhythm = "check-ins off"
            else:
                rhythm = f"{describe(t, cadence=row.cadence, weekday=row.weekday)} at {row.hour:02d}:{row.minute:02d}"
            name = f"{person.display_name} ({person.email})" if person.email else person.display_name
            lines.append(f"  {name}: {rhythm}, {_WHY[row.set_by]}")
    return "\n".join(lines)


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


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
        help='one schedule for everyone, or a department: rapport checkin schedule "weekly friday 16:00" (or off)',
    )
    team.add_argument("schedule", help='e.g. "weekly friday 16:00", "every two weeks monday 9:30", "off"')
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
