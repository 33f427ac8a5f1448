"""A report as CSV (the same bytes from `rapport report` and the dashboard), JSON, or a plain-text table."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.i18n import Messages
from bot.insights.definitions import Cell
from bot.insights.report import Report, Table

# First in every CSV file: without a byte-order mark, Excel reads a CSV file in the computer's legacy
# code page, and Chinese names and departments come out garbled.
BOM = "\ufeff"


def show(cell: Cell, t: Messages) -> str:
    """A figure as people read it: "too few to show", "—" for no data, a number otherwise."""
    if cell.hidden:
        return t("insights.too_few")
    if cell.value is None:
        return "—"
    return f"{cell.value:.1f}" if isinstance(cell.value, float) else str(cell.value)


def _csv_value(cell: Cell, t: Messages) -> str:
    return "" if cell.value is None and not cell.hidden else show(cell, t)


def to_csv(report: Report, t: Messages, *, table: str | None = None) -> str:
    """One table (by key) or every table, each as its title line, a header row and one row per group;
    tables separated by an empty line. Headers are the figures' keys, so the file reads the same in
    every language. It starts with a UTF-8 byte-order mark (`BOM`), for Excel."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    chosen = [report.table(table)] if table else report.tables
    for number, each in enumerate(chosen):
        if number:
            writer.writerow([])
        writer.writerow([f"{each.key} {report.period.label}", report.scope.describe(t)])
        writer.writerow(["group", *each.columns])
        for row in each.rows:
            writer.writerow([row.label, *(_csv_value(row.cells[c], t) for c in each.columns)])
    return out.getvalue()


def to_json(report: Report, t: Messages) -> dict[str, Any]:
    """Numbers as numbers; a hidden figure is null and named in the row's `too_few_to_show`."""
    return {
        "period": report.period.label,
        "scope": report.scope.describe(t),
        "anonymity_threshold": report.threshold,
        "tables": [
            {
                "key": table.key,
                "title": table.title,
                "rows": [
                    {
                        "group": row.label,
                        "figures": {c: None if cell.hidden else cell.value for c, cell in row.cells.items()},
                        "too_few_to_show": [c for c, cell in row.cells.items() if cell.hidden],
                    }
                    for row in table.rows
                ],
            }
            for table in report.tables
        ],
    }


def to_text(report: Report, t: Messages) -> str:
    """Every table with aligned columns, for a terminal."""
    blocks = [f"{report.scope.describe(t)} · {report.period.label}"]
    for table in report.tables:
        blocks.append(_text_table(table, t))
    blocks.append(t("insights.too_few_note", threshold=report.threshold))
    return "\n\n".join(blocks) + "\n"


def _text_table(table: Table, t: Messages) -> str:
    header = [t("insights.group"), *(t(f"insights.column.{c}") for c in table.columns)]
    body = [[row.label, *(show(row.cells[c], t) for c in table.columns)] for row in table.rows]
    if not body:
        return f"{table.title}\n  {t('insights.nothing')}"
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in [header, *body]
    ]
    return "\n".join([table.title, *("  " + line.rstrip() for line in lines)])
