"""Checking the rows of an organisation import, before anything is written.

Pure functions: rows and a snapshot of the organisation in, entries (one per good row) and problems (one
per bad row, with the file's line number) out. `bot.orgimport` plans and writes what passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.i18n import normalise_locale

# The columns every import knows; each platform of the platform table adds its user-id column
# (`bot.platform.user_id_columns`: column name → platform), passed in as `platform_columns`.
COLUMNS = ("email", "name", "manager_email", "department", "timezone", "locale")
REQUIRED = ("email", "name")
NO_PLATFORMS: Mapping[str, str] = MappingProxyType({})
PROFILE_COLUMNS = ("department", "timezone", "locale")

_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True, kw_only=True)
class Row:
    """One data row as read: the file's line number (the header is line 1) and its cells by column."""

    line: int
    values: Mapping[str, str | None]


@dataclass(frozen=True, kw_only=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A good row, normalised: lower-cased emails, the catalogue locale.

    `profile` holds only the columns the file has, so a column left out of the file leaves that field
    alone, while an empty cell in a present column clears it.
    """

    line: int
    email: str
    name: str
    manager_email: str | None
    has_manager_column: bool
    profile: dict[str, str | None]
    identities: dict[str, str] = field(default_factory=dict)


def check_header(
    names: Sequence[str], *, platform_columns: Mapping[str, str] = NO_PLATFORMS
) -> list[Problem]:
    """Problems with the header row: unknown, repeated or missing required columns."""
    problems = []
    known = (*COLUMNS, *platform_columns)
    unknown = [n for n in names if n not in known]
    if unknown:
        problems.append(
            Problem(
                line=1,
                message=f"unknown {_columns(unknown)} {', '.join(map(repr, unknown))}; "
                f"the columns are {', '.join(known)}",
            )
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(Problem(line=1, message=f"{_columns(repeated)} given twice: {', '.join(repeated)}"))
    missing = [n for n in REQUIRED if n not in names]
    if missing:
        problems.append(
            Problem(line=1, message=f"missing required {_columns(missing)}: {', '.join(missing)}")
        )
    return problems


def _columns(names: Sequence[str]) -> str:
    return "column" if len(names) == 1 else "columns"


def check_rows(
    rows: Iterable[Row], *, platform_columns: Mapping[str, str] = NO_PLATFORMS
) -> tuple[list[Entry], list[Problem]]:
    """Each row on its own, plus duplicate emails and platform ids across the file."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in rows:
        entry, row_problems = _check_row(row, platform_columns)
        if entry is not None and entry.email in first_line:
            row_problems.append(f"{entry.email} is already on line {first_line[entry.email]}")
        elif entry is not None:
            first_line[entry.email] = row.line
        problems.extend(Problem(line=row.line, message=m) for m in row_problems)
        if entry is not None and not row_problems:
            entries.append(entry)
    return entries, problems


def _check_row(row: Row, platform_columns: Mapping[str, str]) -> tuple[Entry | None, list[str]]:
    cells = {k: (v or "").strip() for k, v in row.values.items() if k is not None}
    problems = []
    if None in row.values:
        problems.append("more values than there are columns")
    email, name = cells.get("email", "").lower(), cells.get("name", "")
    if not email:
        problems.append("the email is missing")
    elif not _EMAIL.match(email):
        problems.append(f"{cells['email']!r} is not an email address")
    if not name:
        problems.append("the name is missing")
    manager = cells.get("manager_email", "").lower() or None
    if manager and not _EMAIL.match(manager):
        problems.append(f"the manager {cells['manager_email']!r} is not an email address")
    profile = {c: cells[c] or None for c in PROFILE_COLUMNS if c in cells}
    if profile.get("timezone") and not _known_zone(profile["timezone"]):
        problems.append(f"{profile['timezone']!r} is not an IANA time zone (like Europe/Berlin)")
    if profile.get("locale"):
        locale = normalise_locale(profile["locale"])
        if locale is None:
            problems.append(f"the locale {profile['locale']!r} is not supported (use en or zh-Hans)")
        profile["locale"] = locale
    if not email or not name:
        return None, problems
    identities = {p: cells[c] for c, p in platform_columns.items() if cells.get(c)}
    entry = Entry(
        line=row.line,
        email=email,
        name=name,
        manager_email=manager,
        has_manager_column="manager_email" in cells,
        profile=profile,
        identities=identities,
    )
    return entry, problems


@cache
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def check_managers(
    entries: Sequence[Entry], *, current: Mapping[str, str | None], rejected: Iterable[str] = ()
) -> list[Problem]:
    """Unknown managers and manager loops, in the organisation as it would be after the import.

    Args:
        entries: the good rows.
        current: every person already in the organisation, by email, mapped to their manager's email.
        rejected: emails on rows already reported, which count as known managers here.
    """
    problems = []
    graph = dict(current) | {email: None for email in rejected if email not in current}
    for entry in entries:
        if entry.has_manager_column or entry.email not in graph:
            graph[entry.email] = entry.manager_email
    for entry in entries:
        if entry.manager_email and entry.manager_email not in graph:
            problems.append(
                Problem(
                    line=entry.line,
                    message=f"the manager {entry.manager_email} is neither in the file "
                    "nor in the organisation",
                )
            )
            graph[entry.email] = None
    return problems + _loops(entries, graph)


def _loops(entries: Sequence[Entry], graph: Mapping[str, str | None]) -> list[Problem]:
    """A problem for every row in a manager loop. Each chain is walked once, so this is linear."""
    line_of = {e.email: e.line for e in entries}
    done: set[str] = set()
    problems = []
    for entry in entries:
        path: dict[str, int] = {}
        node = entry.email
        while node is not None and node not in done and node not in path:
            path[node] = len(path)
            node = graph.get(node)
        done.update(path)
        if node is None or node not in path:
            continue
        cycle = list(path)[path[node] :]
        for email in cycle:
            if email in line_of:
                problems.append(Problem(line=line_of[email], message=_loop_message(email, cycle)))
    return problems


def _loop_message(email: str, cycle: list[str]) -> str:
    if len(cycle) == 1:
        return f"{email} cannot be their own manager"
    start = cycle.index(email)
    chain = [*cycle[start:], *cycle[:start], email]
    return f"manager loop: {' → '.join(chain)}"


def check_identities(
    entries: Sequence[Entry],
    *,
    owners: Mapping[tuple[str, str], tuple[int, str]],
    person_ids: Mapping[str, int],
) -> list[Problem]:
    """Platform user ids that already belong to someone else, or that appear twice in the file.

    Args:
        entries: the good rows.
        owners: (platform, user id) → (person id, email or name) of who has that id now.
        person_ids: email → person id, for the people already in the organisation.
    """
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for entry in entries:
        for platform, user_id in entry.identities.items():
            key = (platform, user_id)
            owner = owners.get(key)
            if key in seen:
                message = f"the {platform} user id {user_id} is also on line {seen[key]}"
            elif owner is not None and owner[0] != person_ids.get(entry.email):
                message = f"the {platform} user id {user_id} already belongs to {owner[1]}"
            else:
                seen[key] = entry.line
                continue
            problems.append(Problem(line=entry.line, message=message))
    return problems
