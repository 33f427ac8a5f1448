"""A report: every table of figures for one scope (the organisation, a department, a team) and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Messages
from bot.insights.definitions import TABLES, Cell, TableSpec, cells, hide, pulse_cells
from bot.insights.period import Period
from store import insights, insights_social
from store.insights import Grouping
from store.models import Organisation, Person

TOTAL = "__total__"
TABLE_KEYS = ("checkins", "reviews", "records", "actions", "pulse", "kudos")


@dataclass(frozen=True, kw_only=True)
class Scope:
    """Whose figures: the organisation by department, a department by team, or one manager's team."""

    kind: str  # organisation | department | team
    department: str | None = None
    manager: Person | None = None

    @property
    def grouping(self) -> Grouping:
        if self.kind == "team":
            return Grouping(by="all", manager_id=self.manager.id)
        if self.kind == "department":
            return Grouping(by="manager", department=self.department)
        return Grouping(by="department")

    def describe(self, t: Messages) -> str:
        if self.kind == "team":
            return t("insights.team_of", name=self.manager.display_name)
        if self.kind == "department":
            return t("insights.department", name=self.department)
        return t("insights.organisation")


@dataclass(frozen=True, kw_only=True)
class Row:
    group: Any  # the department, the manager's id, TOTAL, or "all"
    label: str
    cells: dict[str, Cell]


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
) -> Report:
    """All the figures of a scope and period, with small groups hidden; a handful of GROUP BY queries."""
    grouping, org_id = scope.grouping, org.id
    dates = {"start": period.start, "end": period.end}
    moments = {"start": period.start_at, "end": period.end_at}
    common = {"org_id": org_id, "grouping": grouping}
    counts = {
        "checkins": await insights.checkins(session, **common, **dates),
        "reviews": await insights.reviews(session, **common, **moments),
        "records": await insights.records(session, **common, **moments),
        "actions": await insights.actions(session, **common, **dates, today=today),
        "kudos": await insights_social.kudos(session, **common, **moments),
    }
    sizes = await insights.headcount(session, org_id=org_id, grouping=grouping)
    labels = await _labels(session, org_id=org_id, scope=scope, groups=list(sizes), t=t)
    tables = [_table(spec, counts[spec.key], sizes, labels, t=t, threshold=threshold) for spec in TABLES]
    pulses = await insights_social.pulse(session, **common, weeks=period.iso_weeks())
    tables.insert(4, _pulse_table(pulses, t=t, threshold=threshold))
    return Report(period=period, scope=scope, threshold=threshold, tables=tables)


def _table(spec: TableSpec, counts: dict, sizes: dict, labels: dict, *, t: Messages, threshold: int) -> Table:
    rows = [
        Row(
            group=group,
            label=labels[group],
            cells=cells(spec, counts.get(group, {}), group_size=size, threshold=threshold),
        )
        for group, size in sorted(sizes.items(), key=lambda item: labels[item[0]].casefold())
    ]
    if len(sizes) > 1:
        rows.append(_total(spec, counts, sizes, rows, t=t, threshold=threshold))
    columns = tuple(column.key for column in spec.columns)
    return Table(key=spec.key, title=t(f"insights.table.{spec.key}"), columns=columns, rows=rows)


def _total(
    spec: TableSpec, counts: dict, sizes: dict, rows: list[Row], *, t: Messages, threshold: int
) -> Row:
    """The total row. Total minus the shown rows is what the hidden rows hold together: where that
    remainder is itself too small a group, the total is hidden too, or subtraction would reveal it."""
    total: dict[str, int] = {}
    for group_counts in counts.values():  # each person is in one group, so people add up too
        for name, value in group_counts.items():
            total[name] = total.get(name, 0) + value
    shown = cells(spec, total, group_size=sum(sizes.values()), threshold=threshold)
    for column in spec.columns:
        hidden_rows = [row.group for row in rows if row.cells[column.key].hidden]
        size = sum(sizes[group] for group in hidden_rows)
        people = sum(counts.get(group, {}).get(column.people, 0) for group in hidden_rows)
        if hidden_rows and hide(size, people, threshold):
            shown[column.key] = Cell(value=shown[column.key].value, hidden=True)
    return Row(group=TOTAL, label=t("insights.total"), cells=shown)


def _pulse_table(pulses: list[insights_social.Pulse], *, t: Messages, threshold: int) -> Table:
    rows = [
        Row(
            group=p.manager_id,
            label=p.name,
            cells=pulse_cells(
                answers=p.answers,
                room=p.room_to_speak,
                steps=p.next_steps,
                useful=p.useful,
                threshold=threshold,
            ),
        )
        for p in pulses
    ]
    columns = ("answers", "room_to_speak", "next_steps", "useful")
    return Table(key="pulse", title=t("insights.table.pulse"), columns=columns, rows=rows)


async def _labels(session: AsyncSession, *, org_id: int, scope: Scope, groups: list, t: Messages) -> dict:
    if scope.kind == "team":
        return {group: t("insights.team_of", name=scope.manager.display_name) for group in groups}
    if scope.kind == "organisation":
        return {group: group if group else t("insights.no_department") for group in groups}
    names = await insights.names(session, org_id=org_id, ids=[g for g in groups if g is not None])
    return {
        group: t("insights.team_of", name=names.get(group, "—")) if group else t("insights.no_manager")
        for group in groups
    }
