"""The dashboard's HTML, rendered on the server with every value escaped; it works without JavaScript."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from adapters.web.charts import bars
from bot.dates import format_when
from bot.i18n import Messages
from bot.insights.definitions import Cell
from bot.insights.formats import show
from bot.insights.report import TOTAL, Report, Table

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#243b55;color:#fff;padding:.6em 1em;
display:flex;gap:1em;align-items:center;flex-wrap:wrap}header a{color:#fff}
header button{color:#fff;background:transparent;border:1px solid #fff;border-radius:3px;padding:.15em .6em;
font:inherit;cursor:pointer}header button:hover,header button:focus{background:#fff;color:#243b55}main{padding:1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}
th:first-child,td:first-child{text-align:left}td.hidden{color:#888;font-style:italic}.note{color:#555}
.trend{display:flex;flex-wrap:wrap;gap:1.5em}.trend figure{margin:0}form.inline{display:inline}
"""


def page(*, t: Messages, lang: str, title: str, body: str, who: str | None = None) -> str:
    """A whole page: the header (who is signed in, sign out), the title and the body."""
    header = f"<strong>{escape(t('dashboard.title'))}</strong>"
    if who:
        header += (
            f'<a href="/admin">{escape(t("dashboard.overview"))}</a>'
            f"<span>{escape(t('dashboard.signed_in_as', name=who))}</span>"
            '<form class="inline" method="post" action="/admin/signout">'
            f'<button type="submit">{escape(t("dashboard.sign_out"))}</button></form>'
        )
    return (
        f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><header>{header}</header><main><h1>{escape(title)}</h1>"
        f"{body}</main></body></html>"
    )


def message(text: str) -> str:
    return f'<p class="message">{escape(text)}</p>'


def sign_in_form(*, t: Messages, token: str) -> str:
    """A button rather than signing in on GET: link previews in chat must not use up the link."""
    return (
        '<form method="post" action="/admin/signin">'
        f'<input type="hidden" name="token" value="{escape(token)}">'
        f'<button type="submit" id="sign-in">{escape(t("dashboard.sign_in_button"))}</button></form>'
    )


def report_body(
    *,
    t: Messages,
    report: Report,
    trend: list[Report],
    csv_query: dict[str, str],
    links: dict,
    timezone: str | None = None,
) -> str:
    """The period form, the privacy note, when the figures were read (in the reader's `timezone`),
    the trend charts and every table with its CSV link.

    `links` maps a row's group to the page it opens (a department's, a team's), when there is one.
    """
    period = report.period.label
    parts = [
        '<form method="get" class="period">'
        f'<label>{escape(t("dashboard.period"))} <input name="period" value="{escape(period)}" size="8"></label>'
        + "".join(
            f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
            for k, v in csv_query.items()
            if k in ("name",)
        )
        + f' <button type="submit">{escape(t("dashboard.show"))}</button></form>',
        f'<p class="note">{escape(t("dashboard.privacy_note", threshold=report.threshold))}</p>',
        _as_of(t=t, report=report, timezone=timezone),
        _trend(t=t, trend=trend),
        f'<p><a id="csv-all" href="/admin/csv?{escape(urlencode({**csv_query, "period": period}))}">'
        f"{escape(t('dashboard.download_all'))}</a></p>",
    ]
    for table in report.tables:
        query = urlencode({**csv_query, "period": period, "table": table.key})
        parts.append(
            f'<section id="table-{table.key}"><h2>{escape(table.title)}</h2>'
            f'<a class="csv" href="/admin/csv?{escape(query)}">{escape(t("dashboard.download_csv"))}</a>'
            f"{_goal_charts(t=t, table=table) if table.key == 'goals' else ''}"
            f"{_table(t=t, table=table, links=links)}</section>"
        )
    return "".join(parts)


def _as_of(*, t: Messages, report: Report, timezone: str | None) -> str:
    """When the figures were read: a page reused for a while (a large organisation's takes seconds
    to compute) says so rather than passing for this moment's."""
    if report.as_of is None:
        return ""
    when = format_when(t, report.as_of, timezone)
    return f'<p class="note" id="as-of">{escape(t("dashboard.as_of", when=when))}</p>'


GOAL_BARS = (  # the goals table's shares, a bar each in every group's chart
    ("with_goals_rate", "dashboard.goal_bar_with_goals"),
    ("updated_rate", "dashboard.goal_bar_updated"),
    ("on_track_rate", "dashboard.goal_bar_on_track"),
    ("talks_held_rate", "dashboard.goal_bar_talks_held"),
)


def _goal_charts(*, t: Messages, table: Table) -> str:
    """Per group, its goal shares side by side (a hidden one an empty, dashed bar, as in the trend)."""
    figures = []
    for row in table.rows:
        points = [(t(caption), row.cells[column]) for column, caption in GOAL_BARS]
        name = f"{row.label} · {t('dashboard.goal_chart')}"
        figures.append(
            f"<figure>{bars(title=name, points=points, too_few=t('insights.too_few'))}"
            f"<figcaption>{escape(row.label)}</figcaption></figure>"
        )
    return f'<div class="trend goal-charts">{"".join(figures)}</div>' if figures else ""


def _table(*, t: Messages, table: Table, links: dict) -> str:
    if not table.rows:
        return f"<p>{escape(t('insights.nothing'))}</p>"
    head = "".join(f"<th>{escape(t(f'insights.column.{c}'))}</th>" for c in table.columns)
    rows = []
    for row in table.rows:
        href = links.get(row.group) if table.key != "pulse" else None
        label = f'<a href="{escape(href)}">{escape(row.label)}</a>' if href else escape(row.label)
        cells = "".join(
            f'<td class="{"hidden" if row.cells[c].hidden else "value"}">{escape(show(row.cells[c], t))}</td>'
            for c in table.columns
        )
        rows.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
    return (
        f"<table><thead><tr><th>{escape(t('insights.group'))}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


# The trend's charts: a table's column, and its title. The periods before the page's own need only
# these tables (`TREND_TABLES`): the report worker computes no others for them.
TREND_FIGURES = (
    ("checkins", "response_rate", "dashboard.trend_checkins"),
    ("actions", "done_on_time_rate", "dashboard.trend_actions"),
)
TREND_TABLES = tuple(dict.fromkeys(table for table, _, _ in TREND_FIGURES))


def _trend(*, t: Messages, trend: list[Report]) -> str:
    """Per group, a bar per period for the check-in response rate and actions done on time."""
    latest = trend[-1]
    blocks = []
    for row in latest.table("checkins").rows:
        charts = []
        for table, column, title in TREND_FIGURES:
            points = [(r.period.label, _cell(r, table, row.group, column)) for r in trend]
            name = f"{row.label} · {t(title)}"
            charts.append(
                f"<figure>{bars(title=name, points=points, too_few=t('insights.too_few'))}"
                f"<figcaption>{escape(t(title))}</figcaption></figure>"
            )
        label = escape(row.label if row.group != TOTAL else t("insights.total"))
        blocks.append(f'<div class="group"><h3>{label}</h3>{"".join(charts)}</div>')
    return (
        f'<section class="trend-section"><h2>{escape(t("dashboard.trend", count=len(trend)))}</h2>'
        f'<div class="trend">{"".join(blocks)}</div></section>'
    )


def _cell(report: Report, table: str, group, column: str) -> Cell:
    for row in report.table(table).rows:
        if row.group == group:
            return row.cells[column]
    return Cell()
