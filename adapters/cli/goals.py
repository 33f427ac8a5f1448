"""`rapport goals import FILE` and `rapport goals export`: goals kept elsewhere, in CSV or YAML
(`bot.features.goals.importing` says what the rows hold)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import sys
from pathlib import Path

import yaml

from adapters.app import App
from adapters.cli.common import counted, organisation
from adapters.cli.org import read_people
from bot.features.goals.exporting import export_rows
from bot.features.goals.importing import COLUMNS, import_rows
from bot.orgcheck import Problem, Row
from store import goals


def read_yaml(path: Path) -> tuple[list[Row], list[Problem]]:
    """A YAML list of objectives (with `key_results` lists under them) as rows with their lines."""
    node = yaml.compose(path.read_text("utf-8"))
    if node is None:
        return [], [Problem(line=1, message="the file is empty")]
    if not isinstance(node, yaml.SequenceNode):
        return [], [Problem(line=node.start_mark.line + 1, message="the file must be a list of objectives")]
    rows: list[Row] = []
    for index, item in enumerate(node.value, start=1):
        values = _mapping(item)
        if values is None:
            return [], [Problem(line=item.start_mark.line + 1, message="each objective is a mapping of keys")]
        ref = str(values.get("ref") or f"#{index}-in-file")
        rows.append(Row(line=item.start_mark.line + 1, values={**values, "kind": "objective", "ref": ref}))
        for result in _key_results(item):
            kr = _mapping(result) or {}
            rows.append(Row(line=result.start_mark.line + 1, values={**kr, "kind": "key result", "ref": ref}))
    return rows, []


def _mapping(node) -> dict[str, str] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}


def _key_results(node) -> list:
    for key, value in node.value:
        if key.value == "key_results" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def read_csv(path: Path) -> tuple[list[Row], list[Problem]]:
    """The rows with their lines (the org import's reader; its people-column checks do not apply)."""
    rows, _ = read_people(path)
    if not rows:
        return [], [
            Problem(line=1, message="no objectives: the first line names the columns, then one row each")
        ]
    unknown = sorted({str(name) for row in rows for name in row.values if name not in COLUMNS})
    if unknown:
        message = f"unknown columns {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}"
        return [], [Problem(line=1, message=message)]
    return rows, []


async def goals_import(app: App, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        rows, problems = (read_yaml if path.suffix.lower() in (".yaml", ".yml") else read_csv)(path)
    except (OSError, UnicodeDecodeError, csv.Error, yaml.YAMLError) as error:
        print(f"Sorry, {args.file} could not be read: {error}", file=sys.stderr)
        return 1
    async with app.db.transaction() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        if not problems:
            _, cycle = await goals.settings(session, org_id=org.id)
            result = await import_rows(session, org_id=org.id, rows=rows, now=app.clock.now(), cycle=cycle)
            problems = result.problems
        if problems:
            await session.rollback()
            print(
                f"Nothing was imported. Please fix {counted(len(problems), 'problem', 'problems')}:",
                file=sys.stderr,
            )
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
    objectives = counted(result.objectives, "objective", "objectives")
    print(f"Imported {objectives} with {counted(result.key_results, 'key result', 'key results')}.")
    return 0


async def goals_export(app: App, args: argparse.Namespace) -> int:
    async with app.db.read() as session:
        org = await organisation(session, app, args)
        if org is None:
            return 1
        rows = await export_rows(session, org_id=org.id)
    if args.format == "yaml":
        text = yaml.safe_dump(_nested(rows), allow_unicode=True, sort_keys=False)
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = out.getvalue()
    if args.out:
        await asyncio.to_thread(Path(args.out).write_text, text, "utf-8")
    else:
        print(text, end="")
    return 0


def _nested(rows: list[dict[str, str]]) -> list[dict]:
    out: list[dict] = []
    for row in rows:
        values = {k: v for k, v in row.items() if v and k != "kind"}
        if row["kind"] == "objective":
            out.append({**values, "key_results": []})
        else:
            values.pop("ref", None)
            out[-1]["key_results"].append(values)
    return out


def add_commands(sub: argparse._SubParsersAction) -> None:
    commands = sub.add_parser("goals", help="import or export goals (CSV or YAML)").add_subparsers(
        dest="goals_command", required=True
    )
    parser = commands.add_parser("import", help="import objectives and key results, all or nothing")
    parser.add_argument(
        "file", help="CSV (kind,ref,owner,level,title,under,due,start,target,unit,current) or YAML"
    )
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.set_defaults(run=goals_import)
    parser = commands.add_parser(
        "export", help="the open objectives and key results, as an import reads them"
    )
    parser.add_argument("--format", choices=("csv", "yaml"), default="csv")
    parser.add_argument("--out", help="write to this file (default: print)")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.set_defaults(run=goals_export)
