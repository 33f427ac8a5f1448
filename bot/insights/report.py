"""A report: every table of figures for one scope (the organisation, a department, a team) and period."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.anonymity.groups import Part
from bot.i18n import Messages
from bot.insights.definitions import TABLES, Cell, TableSpec, family_of, pulse_cells
from bot.insights.figures import Year, load_year
from bot.insights.period import Period
from store import insights, insights_social
from store.models import Organisation, Person

TOTAL = "__total__"
TABLE_KEYS = ("checkins", "reviews", "records", "actions", "pulse", "kudos", "goals")


@dataclass(frozen=True, kw_only=True)
class Scope:
    """Whose figures: the organisation by department, a department by team, or one manager's team
    (by department, when its people are in more than one)."""

    kind: str  # organisation | department | team
    department: str | None = None
    manager: Person | None = None

    def parts(self, sizes: dict[Part, int]) -> dict[Any, frozenset[Part]]:
        """Each row's group (a department, a manager's id, a department of the team) and its parts."""
        rows: dict[Any, set[Part]] = {}
        for part in sizes:
            department, manager = part
            if self.kind == "team" and manager == self.manager.id:
                rows.setdefault(department, set()).add(part)
            elif self.kind == "department" and department == self.department:
                rows.setdefault(manager, set()).add(part)
            elif self.kind == "organisation":
                rows.setdefault(department, set()).add(part)
        return {group: frozenset(parts) for group, parts in rows.items()}

    def describe(self, t: Messages) -> str:
        if self.kind == "team":
            return t("insights.team_of", name=self.manager.display_name)
        if self.kind == "department":
            return t("insights.department", name=self.department)
        return t("insights.organisation")


@dataclass(frozen=True, kw_only=True)
class Row:
    group: Any  # the department, the manager's id, the team's department, TOTAL, or the groups combined
    label: str
    cells: dict[str, Cell]
    combined: bool = False  # rows too small alone, shown together ("People + Sales")


@dataclass(frozen=True, kw_only=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[Row]


@dataclass(frozen=True, kw_only=True)
class Report:
    period: Period
    scope: Scope
    threshold: int
    tables: list[Table]
    as_of: datetime | None = None  # when the figures were asked for: a reused page says how old it is

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


async def build_report(
    session: AsyncSession,
    *,
    org: Organisation,
    scope: Scope,
    period: Period,
    t: Messages,
    today: date,
    threshold: int,
    years: dict[int, Year] | None = None,
    only: Collection[str] | None = None,
) -> Report:
    """All the figures of a scope and period, as `bot.anonymity.suppression` lets them show; with
    `only`, just those tables (a trend's earlier periods show one or two of them).

    The whole year is read and protected at once (`years` keeps it for other periods of the same
    request), so that this view agrees with every other view and period of the year on what is hidden,
    whichever of its tables are asked for.
    """
    years = {} if years is None else years
    if period.year not in years:
        years[period.year] = await load_year(
            session, org_id=org.id, year=period.year, today=today, threshold=threshold
        )
    year = years[period.year]
    groups = scope.parts(year.sizes)
    labels = await _labels(session, org_id=org.id, scope=scope, groups=list(groups), t=t)
    ordered = sorted(groups, key=lambda group: labels[group].casefold())
    rows = [(group, labels[group], groups[group]) for group in ordered]
    if len(rows) > 1:
        rows.append((TOTAL, t("insights.total"), frozenset().union(*groups.values())))
    wanted = [spec for spec in TABLES if only is None or spec.key in only]
    tables = [_table(spec, year, rows, months=period.months, t=t) for spec in wanted]
    if only is None or "pulse" in only:
        pulses = await insights_social.pulse(
            session,
            org_id=org.id,
            weeks=period.iso_weeks(),
            department=scope.department if scope.kind == "department" else None,
            manager_id=scope.manager.id if scope.kind == "team" else None,
        )
        tables.append(_pulse_table(pulses, t=t))
    tables.sort(key=lambda table: TABLE_KEYS.index(table.key))
    return Report(period=period, scope=scope, threshold=threshold, tables=tables)


def _table(spec: TableSpec, year: Year, rows: list, *, months: frozenset[int], t: Messages) -> Table:
    def cells(parts: frozenset[Part]) -> dict[str, Cell]:
        sources = {spec.source(column) for column in spec.columns}
        sums = {source: year.sums(source, parts, months) for source in sources}
        shown = {source: year.shows(family_of(source), parts, months) for source in sources}
        return {
            column.key: Cell(
                value=column.value(sums[spec.source(column)]), hidden=not shown[spec.source(column)]
            )
            for column in spec.columns
        }

    shown = [Row(group=group, label=label, cells=cells(parts)) for group, label, parts in rows]
    for groups, label, parts in _combined(spec, year, rows):
        row = Row(group=groups, label=label, cells=cells(parts), combined=True)
        if not all(cell.hidden for cell in row.cells.values()):
            shown.insert(len(shown) - (shown[-1].group == TOTAL), row)
    columns = tuple(column.key for column in spec.columns)
    return Table(key=spec.key, title=t(f"insights.table.{spec.key}"), columns=columns, rows=shown)


def _combined(spec: TableSpec, year: Year, rows: list) -> list[tuple[tuple, str, frozenset[Part]]]:
    """The rows `bot.anonymity.suppression` put together (a block spanning several of them), as one
    row each: what the README promises instead of hiding a whole department behind a one-person one.
    Rows joined by any block of the table's families; none that is the whole view (the total shows it)."""
    members = [(group, label, parts) for group, label, parts in rows if group != TOTAL]
    joined = list(range(len(members)))

    def root(i: int) -> int:
        while joined[i] != i:
            i = joined[i]
        return i

    for family in {family_of(spec.source(column)) for column in spec.columns}:
        for block in year.protections[family].blocks:
            touching = [i for i, (_, _, parts) in enumerate(members) if not block.parts.isdisjoint(parts)]
            for i in touching[1:]:
                joined[root(i)] = root(touching[0])
    together: dict[int, list[int]] = {}
    for i in range(len(members)):
        together.setdefault(root(i), []).append(i)
    return [
        (
            tuple(members[i][0] for i in found),
            " + ".join(members[i][1] for i in found),
            frozenset().union(*(members[i][2] for i in found)),
        )
        for found in together.values()
        if 1 < len(found) < len(members)
    ]


def _pulse_table(pulses: list[insights_social.Pulse], *, t: Messages) -> Table:
    rows = [
        Row(
            group=p.manager_id,
            label=p.name,
            cells=pulse_cells(answers=p.answers, room=p.room_to_speak, steps=p.next_steps, useful=p.useful),
        )
        for p in pulses
    ]
    columns = ("answers", "room_to_speak", "next_steps", "useful")
    return Table(key="pulse", title=t("insights.table.pulse"), columns=columns, rows=rows)


async def _labels(session: AsyncSession, *, org_id: int, scope: Scope, groups: list, t: Messages) -> dict:
    def department(name: str | None) -> str:
        return name if name else t("insights.no_department")

    if scope.kind == "team":
        team = t("insights.team_of", name=scope.manager.display_name)
        if len(groups) == 1:
            return {group: team for group in groups}
        return {group: t("insights.team_in", team=team, department=department(group)) for group in groups}
    if scope.kind == "organisation":
        return {group: department(group) for group in groups}
    names = await insights.names(session, org_id=org_id, ids=[g for g in groups if g is not None])
    return {
        group: t("insights.team_of", name=names.get(group, "—")) if group else t("insights.no_manager")
        for group in groups
    }
