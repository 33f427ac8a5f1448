"""Who may see which figures (a matrix), and `rapport report` through the real command line."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main
from bot.access import can_view_figures
from store.models import Person


def person(pid: int, *, org: int = 1, manager: int | None = None) -> Person:
    return Person(id=pid, org_id=org, display_name=f"P{pid}", manager_id=manager)


CAROL, ALICE, DAN, STRANGER = person(1), person(2, manager=1), person(3), person(9, org=2)


@pytest.mark.parametrize(
    ("viewer", "is_hr", "reports", "team", "allowed"),
    [
        (CAROL, False, True, CAROL, True),  # a manager, her own team
        (CAROL, False, True, DAN, False),  # another manager's team
        (CAROL, False, True, None, False),  # the organisation or a department
        (ALICE, False, False, CAROL, False),  # an employee, her manager's team
        (ALICE, False, False, ALICE, False),  # an employee, her "team" of nobody
        (ALICE, False, False, None, False),
        (DAN, True, False, CAROL, True),  # HR: any team
        (DAN, True, False, None, True),  # HR: the organisation, any department
        (STRANGER, True, True, CAROL, False),  # HR of another organisation
    ],
)
def test_who_may_see_figures(viewer, is_hr, reports, team, allowed):
    assert can_view_figures(viewer, is_hr=is_hr, has_reports=reports, team_manager=team) is allowed


def test_rapport_report_prints_table_csv_and_json_and_is_audited(demo_cli, capsys):
    capsys.readouterr()
    assert main(["report", "--period", "2026-Q4"]) == 0
    table = capsys.readouterr().out
    assert "Whole organisation · 2026-Q4" in table and "Check-ins" in table and "Kudos" in table
    assert "“too few to show”: a figure about fewer than 3 people, or one that would let" in table
    assert main(["report", "--period", "2026-Q4", "--format", "csv", "--table", "kudos"]) == 0
    csv_text = capsys.readouterr().out
    assert csv_text.splitlines()[:2] == ["\ufeffkudos 2026-Q4,Whole organisation", "group,given,received"]
    assert main(["report", "--period", "2026-Q4", "--format", "csv", "--locale", "zh-Hans"]) == 0
    chinese = capsys.readouterr().out.encode("utf-8")
    assert chinese.startswith(b"\xef\xbb\xbf") and chinese.count(b"\xef\xbb\xbf") == 1  # Excel reads UTF-8
    assert chinese.decode("utf-8-sig").startswith("checkins 2026-Q4,整个组织")
    assert main(["report", "--period", "2026-Q4", "--format", "json", "--locale", "zh-Hans"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"] == "整个组织" and data["tables"][0]["key"] == "checkins"
    assert main(["report", "--period", "2026-Q9"]) == 1
    assert "2026-Q9" in capsys.readouterr().err
    assert main(["audit"]) == 0
    assert capsys.readouterr().out.count("command line: view_figures") == 4


def test_rapport_report_has_the_goal_figures_in_both_languages(demo_cli, capsys):
    capsys.readouterr()
    assert main(["report", "--period", "2026-Q4", "--format", "csv", "--table", "goals"]) == 0
    header = capsys.readouterr().out.splitlines()[1]
    assert header == (
        "group,people,with_goals_rate,key_results,updated_rate,on_track_rate,"
        "talks_offered,talks_held,talks_held_rate"
    )
    assert main(["report", "--period", "2026-Q4"]) == 0
    text = capsys.readouterr().out
    assert "Goals (this cycle, as of today) and monthly goal conversations" in text
    assert "On track %" in text and "Goal talks held %" in text
    assert main(["report", "--period", "2026-Q4", "--locale", "zh-Hans"]) == 0
    chinese = capsys.readouterr().out
    assert "目标（本周期，截至今天）与月度目标谈话" in chinese and "目标谈话进行率 %" in chinese
