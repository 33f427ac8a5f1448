"""One person in a new department must not blank a whole other department: the two are shown together,
as one row ("People + Sales"), and each alone is "too few to show"; nothing about the one person
can be worked out (the attacker tests hold for combined rows too)."""

from __future__ import annotations

from adapters.cli import main


def rows(csv_text: str) -> dict[str, list[str]]:
    lines = csv_text.lstrip("\ufeff").splitlines()[2:]
    return {line.split(",")[0]: line.split(",")[1:] for line in lines}


def test_one_person_in_a_new_department_is_shown_together_with_the_smallest(demo_cli, tmp_path, capsys):
    assert main(["checkin", "schedule", "weekly friday 16:00"]) == 0
    for day in ("04", "11", "18"):
        assert main(["tick", "--at", f"2026-12-{day}T23:00:00Z"]) == 0
    people = tmp_path / "people.csv"
    people.write_text("email,name,department\nhr@example.com,Hana Ross,People\n", encoding="utf-8")
    assert main(["org", "import", str(people)]) == 0
    capsys.readouterr()

    assert main(["report", "--period", "2026-Q4", "--table", "checkins", "--format", "csv"]) == 0
    table = rows(capsys.readouterr().out)
    assert set(table) == {"Engineering", "People", "Sales", "People + Sales", "All"}
    assert set(table["People"]) == set(table["Sales"]) == {"too few to show"}
    together, engineering, everyone = table["People + Sales"], table["Engineering"], table["All"]
    assert "too few to show" not in together
    assert int(together[0]) == int(everyone[0]) - int(engineering[0]) > 0  # what the total already says
    assert main(["report", "--period", "2026-Q4", "--table", "checkins"]) == 0
    text = capsys.readouterr().out
    assert "People + Sales" in text and "shown together" in text


def test_the_goal_figures_keep_the_one_person_hidden_the_same_way(demo_cli, tmp_path, capsys):
    people = tmp_path / "people.csv"
    people.write_text("email,name,department\nhr@example.com,Hana Ross,People\n", encoding="utf-8")
    assert main(["org", "import", str(people)]) == 0
    capsys.readouterr()
    assert main(["report", "--period", "2026-Q4", "--table", "goals", "--format", "csv"]) == 0
    table = rows(capsys.readouterr().out)
    assert set(table["People"]) == set(table["Sales"]) == {"too few to show"}
    together, engineering, everyone = table["People + Sales"], table["Engineering"], table["All"]
    assert int(together[0]) == int(everyone[0]) - int(engineering[0]) > 0  # people: what the total says
