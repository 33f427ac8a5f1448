"""HR figures against a generated organisation whose answers are known (tests/insights/expected.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.insights.period import parse_period
from bot.insights.report import Scope, build_report
from tests.insights import expected
from tests.insights.generate import STAFF, generate

RATES = {  # column: (part, whole), as the definitions say
    "response_rate": ("answered", "asked"),
    "on_time_rate": ("on_time", "asked"),
    "held_on_time_rate": ("held_on_time", "scheduled"),
    "ahead_rate": ("ahead", "scheduled"),
    "self_review_rate": ("self_reviews", "scheduled"),
    "complete_rate": ("complete", "records"),
    "done_on_time_rate": ("done_on_time", "due"),
}
PEOPLE = {"given": "givers", "received": "recipients"}


def expected_cells(counts: dict, columns, size: int) -> dict:
    cells = {}
    for column in columns:
        behind = counts.get(PEOPLE.get(column, "people"), 0)
        if size < 3 or 0 < behind < 3:
            cells[column] = "too few"
        elif column in RATES:
            part, whole = RATES[column]
            cells[column] = round(100 * counts.get(part, 0) / counts[whole], 1) if counts.get(whole) else None
        else:
            cells[column] = counts.get(column, 0)
    return cells


def seen(row) -> dict:
    return {c: "too few" if cell.hidden else cell.value for c, cell in row.cells.items()}


def expected_total(per_group: dict, columns, sizes: dict) -> dict:
    """Everyone together; a figure is hidden too when the hidden groups' share of it is too small a group."""
    total = Counter()
    for counts in per_group.values():
        total.update(counts)
    cells = expected_cells(dict(total), columns, sum(sizes.values()))
    for column in columns:
        hidden = [
            g for g in sizes if expected_cells(per_group.get(g, {}), [column], sizes[g])[column] == "too few"
        ]
        size = sum(sizes[g] for g in hidden)
        people = sum(per_group.get(g, {}).get(PEOPLE.get(column, "people"), 0) for g in hidden)
        if hidden and (size < 3 or 0 < people < 3):
            cells[column] = "too few"
    return cells


@pytest.fixture
async def generated(app, clock):
    await generate(app, slug="other", seed=7, now=clock.now())  # another organisation's rows stay out
    return await generate(app, slug="gen", seed=42, now=clock.now())


async def _report(app, org, scope, *, locale="en"):
    async with app.db.read() as session:
        return await build_report(
            session, org=org, scope=scope, period=parse_period("2026-Q4"),
            t=app.catalogue.messages(locale), today=app.clock.now().date(), threshold=3,
        )  # fmt: skip


def _expected_tables(ledger, group, today):
    return {
        "checkins": expected.checkins(ledger, group),
        "reviews": expected.reviews(ledger, group),
        "records": expected.records(ledger, group),
        "actions": expected.actions(ledger, group, today),
        "kudos": expected.kudos(ledger, group),
    }


async def test_the_organisation_by_department_matches_the_known_answers(app, generated):
    org, ledger = generated
    report = await _report(app, org, Scope(kind="organisation"))
    sizes = Counter(department for _, department, _ in STAFF)
    labels = {"Engineering": "Engineering", "Sales": "Sales", "Legal": "Legal", None: "(no department)"}
    tables = _expected_tables(ledger, lambda p: p.department, app.clock.now().date())
    for key, per_group in tables.items():
        table = report.table(key)
        rows = {row.label: seen(row) for row in table.rows}
        want = {
            labels[g]: expected_cells(per_group.get(g, {}), table.columns, size) for g, size in sizes.items()
        }
        want["All"] = expected_total(per_group, table.columns, dict(sizes))
        assert rows == want, key
    # Legal (two people) and the one person without a department never show a figure.
    for table in report.tables:
        for row in table.rows:
            if row.label in ("Legal", "(no department)"):
                assert all(cell.hidden for cell in row.cells.values())


async def test_figures_are_real_numbers_not_all_hidden(app, generated):
    org, _ = generated
    report = await _report(app, org, Scope(kind="organisation"))
    engineering = next(r for r in report.table("checkins").rows if r.label == "Engineering")
    assert engineering.cells["asked"].value > 50 and not engineering.cells["response_rate"].hidden
    assert 0 < engineering.cells["on_time_rate"].value < engineering.cells["response_rate"].value < 100


async def test_a_department_by_team_and_a_team_on_its_own(app, generated):
    org, ledger = generated
    hal = ledger.people["hal"]
    report = await _report(app, org, Scope(kind="department", department="Engineering"))
    rows = {row.label: seen(row) for row in report.table("checkins").rows}
    assert set(rows) == {"Hal's team", "Ivy's team", "Grace's team", "(no manager)", "All"}
    engineers = [p for p in ledger.people.values() if p.department == "Engineering"]
    in_team = expected.checkins(ledger, lambda p: p.manager_id)
    hal_size = sum(1 for p in engineers if p.manager_id == hal.id)
    assert rows["Hal's team"] == expected_cells(in_team[hal.id], report.table("checkins").columns, hal_size)
    assert all(v == "too few" for v in rows["Ivy's team"].values())  # two people
    team = await _report(app, org, Scope(kind="team", manager=hal))
    for key, per_group in _expected_tables(ledger, lambda p: p.manager_id, app.clock.now().date()).items():
        table = team.table(key)
        assert [seen(r) for r in table.rows] == [
            expected_cells(per_group.get(hal.id, {}), table.columns, 4)
        ], key
    assert [r.label for r in team.table("pulse").rows] == (
        ["Hal"] if any(p["manager"] is hal and p["week"] in expected.Q4_WEEKS for p in ledger.pulses) else []
    )


async def test_the_pulse_per_manager_only_from_three_answers(app, generated):
    org, ledger = generated
    report = await _report(app, org, Scope(kind="organisation"))
    want = expected.pulse(ledger)
    rows = report.table("pulse").rows
    assert {r.label for r in rows} == set(want)
    for row in rows:
        if want[row.label]["answers"] < 3:
            assert all(cell.hidden for cell in row.cells.values())
        else:
            assert seen(row) == want[row.label]
    assert any(not r.cells["answers"].hidden for r in rows) and any(r.cells["answers"].hidden for r in rows)
