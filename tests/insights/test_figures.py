"""HR figures against a generated organisation whose answers are known (tests/insights/expected.py):
every figure shown is right, in every view and period; no small group shows; and an attacker holding
every view and period of the year HR may see cannot work out any figure that is hidden."""

from __future__ import annotations

from datetime import date

import pytest

from bot.insights.definitions import TABLES
from bot.insights.formats import to_csv
from bot.insights.period import Period, parse_period
from bot.insights.report import TOTAL, Scope, build_report
from store import people
from tests.anonymity_attacker import Knowledge
from tests.insights import expected, expected_goals
from tests.insights.generate import generate

RATES = {  # column: (part, whole), as the definitions say
    "response_rate": ("answered", "asked"),
    "on_time_rate": ("on_time", "asked"),
    "held_on_time_rate": ("held_on_time", "scheduled"),
    "ahead_rate": ("ahead", "scheduled"),
    "self_review_rate": ("self_reviews", "scheduled"),
    "complete_rate": ("complete", "records"),
    "done_on_time_rate": ("done_on_time", "due"),
    "with_goals_rate": ("with_goals", "people"),
    "updated_rate": ("updated", "key_results"),
    "on_track_rate": ("on_track", "key_results"),
    "talks_held_rate": ("talks_held", "talks_offered"),
}
PEOPLE = {  # column: the people behind it, when not "people"
    "given": "givers",
    "received": "recipients",
    "people": "people_behind",
    "with_goals_rate": "people_behind",
    "key_results": "owners",
    "updated_rate": "owners",
    "on_track_rate": "owners",
    "talks_offered": "reports",
    "talks_held": "reports",
    "talks_held_rate": "reports",
}
PERIODS = ["2026", "2026-Q3", "2026-Q4", *(f"2026-{m:02d}" for m in range(7, 13))]


def value(counts: dict, column: str):
    if column in RATES:
        part, whole = RATES[column]
        return round(100 * counts.get(part, 0) / counts[whole], 1) if counts.get(whole) else None
    return counts.get(column, 0)


def seen(row) -> dict:
    return {c: "too few" if cell.hidden else cell.value for c, cell in row.cells.items()}


@pytest.fixture
async def generated(app, clock):
    await generate(app, slug="other", seed=7, now=clock.now())  # another organisation's rows stay out
    return await generate(app, slug="gen", seed=42, now=clock.now())


async def _report(app, org, scope, *, period="2026-Q4", years=None, only=None):
    async with app.db.read() as session:
        return await build_report(
            session, org=org, scope=scope, period=parse_period(period), t=app.catalogue.messages("en"),
            today=app.clock.now().date(), threshold=3, years=years, only=only,
        )  # fmt: skip


def scopes(ledger) -> list[Scope]:
    """Every view HR may open: the organisation, each department, each manager's team."""
    people = ledger.people.values()
    managers = {p.manager_id for p in people if p.manager_id}
    return [
        Scope(kind="organisation"),
        *(
            Scope(kind="department", department=d)
            for d in sorted({p.department for p in people if p.department})
        ),
        *(Scope(kind="team", manager=p) for p in people if p.id in managers),
    ]


def members(ledger, scope: Scope, group) -> list:
    """The people behind one row of a view (a combined row: behind each of the rows it combines)."""
    if isinstance(group, tuple):
        return [p for g in group for p in members(ledger, scope, g)]

    def in_row(p) -> bool:
        if scope.kind == "team":
            return p.manager_id == scope.manager.id and (group == TOTAL or p.department == group)
        if scope.kind == "department":
            return p.department == scope.department and (group == TOTAL or p.manager_id == group)
        return group == TOTAL or p.department == group

    return [p for p in ledger.people.values() if in_row(p)]


def known(ledger, table: str, people: list, period: Period, today: date) -> dict:
    """The row's counts worked out from the ledger, with how many people they come from."""
    ids = {p.id for p in people}
    dates = (period.start, period.end)
    group = lambda p: p.id in ids  # noqa: E731
    found = {
        "checkins": lambda: expected.checkins(ledger, group, dates),
        "reviews": lambda: expected.reviews(ledger, group, dates),
        "records": lambda: expected.records(ledger, group, dates),
        "actions": lambda: expected.actions(ledger, group, today, dates),
        "kudos": lambda: expected.kudos(ledger, group, dates),
        "goals": lambda: expected_goals.goals(ledger, group, today, dates),
    }[table]()
    return found.get(True, {})


async def every_view(app, org, ledger):
    """(scope, period, report) for every view and period HR may open in 2026."""
    years: dict = {}
    return [
        (scope, period, await _report(app, org, scope, period=period, years=years))
        for scope in scopes(ledger)
        for period in PERIODS
    ]


async def test_every_figure_shown_is_the_known_answer_in_every_view_and_period(app, generated):
    org, ledger = generated
    today, shown = app.clock.now().date(), 0
    for scope, period, report in await every_view(app, org, ledger):
        for table in report.tables:
            if table.key == "pulse":
                continue
            for row in table.rows:
                counts = known(ledger, table.key, members(ledger, scope, row.group), report.period, today)
                for column, cell in row.cells.items():
                    if not cell.hidden:
                        assert cell.value == value(counts, column), (scope.kind, period, table.key, row.label)
                        shown += 1
    assert shown > 500  # real figures, not everything hidden


async def test_a_trend_period_with_only_its_charts_tables_shows_them_as_the_whole_report_does(app, generated):
    """The dashboard's trend computes only the tables its charts read for the periods before the
    page's own: those tables show the same figures, hidden the same way, as the whole report."""
    org, ledger = generated
    for scope in scopes(ledger)[:4]:
        for period in ("2026-Q3", "2026-09"):
            whole = await _report(app, org, scope, period=period)
            trend = await _report(app, org, scope, period=period, only=("checkins", "actions"))
            assert [table.key for table in trend.tables] == ["checkins", "actions"]
            for key in ("checkins", "actions"):
                assert [(row.label, seen(row)) for row in trend.table(key).rows] == [
                    (row.label, seen(row)) for row in whole.table(key).rows
                ], (scope.kind, period, key)


async def test_small_groups_and_figures_from_one_or_two_people_never_show(app, generated):
    org, ledger = generated
    today = app.clock.now().date()
    for scope, _, report in await every_view(app, org, ledger):
        for table in report.tables:
            if table.key == "pulse":
                continue
            for row in table.rows:
                people = members(ledger, scope, row.group)
                counts = known(ledger, table.key, people, report.period, today)
                for column, cell in row.cells.items():
                    behind = counts.get(PEOPLE.get(column, "people"), 0)
                    if len(people) < 3 or 0 < behind < 3:
                        assert cell.hidden, (scope.kind, report.period.label, table.key, row.label, column)


async def test_nothing_hidden_can_be_worked_out_from_every_view_and_period_of_the_year(app, generated):
    """The attacker holds every figure HR may see in 2026 and adds and subtracts them: each hidden
    figure stays out of reach. Unknowns are each (person, month) count: a row is a sum of them."""
    org, ledger = generated
    views = await every_view(app, org, ledger)
    for spec in TABLES:
        for column in spec.columns:
            if column.rate:
                continue
            attacker, hidden = Knowledge(), []
            for scope, _, report in views:
                for row in report.table(spec.key).rows:
                    unknowns = [
                        (p.id, m)
                        for p in members(ledger, scope, row.group)
                        for m in sorted(report.period.months)
                    ]
                    if row.cells[column.key].hidden:
                        hidden.append((report.period.label, scope.kind, row.label, unknowns))
                    else:
                        attacker.add(unknowns)
            assert hidden, spec.key
            for where, unknowns in ((h[:3], h[3]) for h in hidden):
                assert not attacker.knows(unknowns), (spec.key, column.key, where)


async def test_the_organisation_total_shows_though_two_groups_are_small(app, generated):
    org, _ = generated
    report = await _report(app, org, Scope(kind="organisation"))
    for table in report.tables:
        if table.key == "pulse":
            continue
        rows = {row.label: row for row in table.rows}
        assert all(cell.hidden for cell in rows["Legal"].cells.values())  # two people
        assert all(cell.hidden for cell in rows["(no department)"].cells.values())  # one
        assert not rows["All"].cells[table.columns[0]].hidden, table.key
    engineering = next(r for r in report.table("checkins").rows if r.label == "Engineering")
    assert engineering.cells["asked"].value > 50 and not engineering.cells["response_rate"].hidden
    assert 0 < engineering.cells["on_time_rate"].value < engineering.cells["response_rate"].value < 100


async def test_a_department_by_team_and_a_team_on_its_own(app, generated):
    org, ledger = generated
    hal = ledger.people["hal"]
    report = await _report(app, org, Scope(kind="department", department="Engineering"))
    rows = {row.label: seen(row) for row in report.table("checkins").rows}
    assert set(rows) == {
        "Hal's team",
        "Ivy's team",
        "Grace's team",
        "(no manager)",
        "(no manager) + Grace's team + Ivy's team",  # too small alone, shown together
        "All",
    }
    assert "too few" not in rows["(no manager) + Grace's team + Ivy's team"].values()
    assert all(v == "too few" for v in rows["Ivy's team"].values())  # two people
    assert rows["Hal's team"]["asked"] != "too few"
    team = await _report(app, org, Scope(kind="team", manager=hal))
    for table in team.tables:
        if table.key != "pulse":
            [row] = table.rows
            assert seen(row) == seen(next(r for r in report.table(table.key).rows if r.label == "Hal's team"))
    assert [r.label for r in team.table("pulse").rows] == (
        ["Hal"]
        if any(p["manager"] is hal and p.get("released") in expected.Q4_WEEKS for p in ledger.pulses)
        else []
    )


async def test_the_pulse_per_manager_only_from_released_batches(app, generated):
    org, ledger = generated
    report = await _report(app, org, Scope(kind="organisation"))
    want = expected.pulse(ledger)
    rows = report.table("pulse").rows
    assert {r.label: seen(r) for r in rows} == want
    assert all(w["answers"] % 3 == 0 for w in want.values())  # whole batches of three, never one more
    held = [p for p in ledger.pulses if p["week"] in expected.Q4_WEEKS and not p.get("released")]
    assert held, "the generated data must hold some answers back"


async def test_a_team_across_two_departments_shows_a_row_per_department(app, org):
    """Carol's reports: Alice and Bob in Engineering, Wei moved to Sales. Her team's view has a row
    for each department and the total; Wei's row alone never shows, nor both of the others."""
    async with app.db.transaction() as session:
        wei = await people.by_handle(session, org_id=org.id, handle="wei")
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        wei.department = "Sales"
    report = await _report(app, org, Scope(kind="team", manager=carol))
    rows = {row.label: row for row in report.table("checkins").rows}
    assert list(rows) == ["Carol Jones's team in Engineering", "Carol Jones's team in Sales", "All"]
    assert rows["Carol Jones's team in Sales"].cells["asked"].hidden
    assert rows["Carol Jones's team in Engineering"].cells["asked"].hidden  # two people


async def test_goal_figures_show_for_large_enough_groups_and_never_goal_words(app, generated):
    org, ledger = generated
    today = app.clock.now().date()
    report = await _report(app, org, Scope(kind="organisation"))
    rows = {row.label: seen(row) for row in report.table("goals").rows}
    for department in ("Engineering", "Sales"):
        shown = rows[department]
        people = [p for p in ledger.people.values() if p.department == department]
        want = known(ledger, "goals", people, report.period, today)
        assert shown["people"] == len(people) and shown["key_results"] == want["key_results"] > 0
        assert 0 < shown["updated_rate"] < 100 and 0 < shown["on_track_rate"] < 100, department
    assert 0 < rows["Sales"]["with_goals_rate"] < 100  # s3 has none this quarter
    assert set(rows["Legal"].values()) == {"too few"}  # two people
    total = rows["All"]
    assert total["talks_offered"] == len([t for t in ledger.talks if t["month"] >= "2026-10"])
    assert 0 < total["talks_held_rate"] < 100
    october = await _report(app, org, Scope(kind="organisation"), period="2026-10")  # today is not in it
    [before] = [seen(row) for row in october.table("goals").rows if row.label == "All"]
    assert before["people"] == 0 and before["on_track_rate"] is None and before["talks_offered"] > 0
    csv = to_csv(report, app.catalogue.messages("en"), table="goals")
    assert "private words" not in csv and "talks_held_rate" in csv
