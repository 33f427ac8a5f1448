"""`rapport org import people.csv` and `rapport demo-org`: reading the file and telling the operator."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from tqdm import tqdm

from adapters.app import App
from adapters.cli import org_settings
from adapters.cli.common import counted
from adapters.platforms import PLATFORMS
from bot.demo import SLUG as DEMO_SLUG
from bot.demo import seed_demo
from bot.orgcheck import Problem, Row, check_header
from bot.orgimport import ImportResult, NoSuchOrganisation, import_people
from bot.platform import user_id_columns

PLATFORM_COLUMNS = user_id_columns(PLATFORMS)  # the org import's column of each platform's user ids
PROGRESS_FROM = 1000  # rows; smaller files finish before a bar would be worth drawing


def read_people(path: Path) -> tuple[list[Row], list[Problem]]:
    """The data rows of a CSV file with their line numbers, or the problems with its header.

    A record's line number is the line it starts on, so a quoted cell spanning lines does not shift it.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            return [], [Problem(line=1, message="the file is empty; the first line must name the columns")]
        names = [name.strip().lower() for name in header]
        problems = check_header(names, platform_columns=PLATFORM_COLUMNS)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(line=start, values=_values(names, cells)))
            start = reader.line_num + 1
    return rows, problems


def _values(names: list[str], cells: list[str]) -> dict[str | None, str | list[str]]:
    values: dict[str | None, str | list[str]] = {
        n: cells[i] if i < len(cells) else "" for i, n in enumerate(names)
    }
    if len(cells) > len(names):
        values[None] = cells[len(names) :]
    return values


async def org_import(app: App, args: argparse.Namespace) -> int:
    slug = args.org or app.settings.org
    try:
        rows, problems = read_people(Path(args.file))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        print(f"Sorry, {args.file} could not be read: {error}", file=sys.stderr)
        return 1
    if problems:
        return _refuse(problems)
    show = sys.stderr.isatty() and len(rows) >= PROGRESS_FROM
    with tqdm(total=len(rows), desc="importing", unit="row", disable=not show, file=sys.stderr) as bar:
        try:
            result = await import_people(
                app.db,
                slug=slug,
                rows=rows,
                now=app.clock.now(),
                create=args.create,
                progress=bar.update,
                platform_columns=PLATFORM_COLUMNS,
            )
        except NoSuchOrganisation:
            print(
                f"There is no organisation {slug!r}. Pass --create to create it, or --org to choose another.",
                file=sys.stderr,
            )
            return 1
    if not result.ok:
        return _refuse(result.problems)
    print(_summary(slug, result))
    return 0


def _refuse(problems: list[Problem]) -> int:
    count = counted(len(problems), "problem", "problems")
    print(f"Nothing was imported. Please fix {count} and run the import again:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def _summary(slug: str, result: ImportResult) -> str:
    lead = f"Created organisation {slug!r}. " if result.org_created else ""
    return (
        f"{lead}Imported into {slug!r}: created {result.created}, updated {result.updated}, "
        f"unchanged {result.unchanged}."
    )


async def demo_org(app: App, args: argparse.Namespace) -> int:
    seed = await seed_demo(app.db, now=app.clock.now())
    if not seed.changed:
        print(
            f"The demo organisation is already up to date ({counted(seed.result.unchanged, 'person', 'people')}); "
            "nothing changed."
        )
    else:
        print(_summary(DEMO_SLUG, seed.result) + (" Company values set." if seed.values_set else ""))
        if seed.schedules_set:
            print(
                f"Check-ins every Friday at 16:00 local time for {counted(seed.schedules_set, 'person', 'people')}."
            )
    print("Try it: rapport shell --as bob@example.com")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    org = sub.add_parser("org", help="manage the organisation").add_subparsers(
        dest="org_command", required=True
    )
    parser = org.add_parser("import", help="add or update people from a CSV file (by email)")
    parser.add_argument("file", help="CSV with a header row: email,name,manager_email,department,...")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.add_argument("--create", action="store_true", help="create the organisation if it does not exist")
    parser.set_defaults(run=org_import)
    org_settings.add_commands(org)
    sub.add_parser("demo-org", help="seed the demo organisation (idempotent)").set_defaults(run=demo_org)
