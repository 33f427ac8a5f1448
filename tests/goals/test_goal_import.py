"""`rapport goals import` and `rapport goals export`: CSV or YAML, all or nothing, problems by line."""

from __future__ import annotations

from adapters.cli import main

CSV = """kind,ref,owner,level,title,under,due,start,target,unit,current
objective,billing,bob@example.com,person,Ship billing v2,,2027-03-31,,,,
key result,billing,,,Migrate customers,,,0,40,customers,12
key result,billing,,,Launch the pricing page,,,,,,
objective,growth,carol@example.com,team,Grow the platform team,,,,,,
key result,growth,,,Hire engineers,,,0,3,people,
"""


def test_a_csv_file_is_imported_and_exported_again(demo_cli, tmp_path, capsys):
    capsys.readouterr()
    path = tmp_path / "goals.csv"
    path.write_text(CSV, "utf-8")
    assert main(["goals", "import", str(path)]) == 0
    assert "Imported 2 objectives with 3 key results." in capsys.readouterr().out
    assert main(["goals", "export"]) == 0
    out = capsys.readouterr().out
    assert "objective,#1,bob@example.com,person,Ship billing v2,,2027-03-31,,,," in out
    assert "key result,#1,,,Migrate customers,,,0,40,customers,12" in out
    assert main(["goals", "export", "--format", "yaml"]) == 0
    assert "key_results:\n  - title: Migrate customers" in capsys.readouterr().out


def test_nothing_is_imported_when_a_line_is_wrong(demo_cli, tmp_path, capsys):
    capsys.readouterr()
    path = tmp_path / "goals.csv"
    path.write_text(
        """kind,ref,owner,level,title,under,due,start,target
objective,a,nobody@example.com,person,Ship it,,2027-03-31,,
key result,a,,,Migrate,,,zero,40
key result,b,,,Orphan result,,,,
objective,c,bob@example.com,galaxy,Ok,z,someday,,
objective,a,bob@example.com,person,Twice named,,,,
key result,c,,,Only a start,,,5,
""",
        "utf-8",
    )
    assert main(["goals", "import", str(path)]) == 1
    err = capsys.readouterr().err
    for problem in (
        "Nothing was imported. Please fix",
        "line 2: owner 'nobody@example.com' is nobody in the organisation",
        "line 3: start 'zero' is not a number",
        "line 4: no objective 'b' above this key result",
        "line 5: title must have 3 to 300 characters",
        "line 5: level must be person, team or company, not 'galaxy'",
        "line 5: due 'someday' is not a date like 2027-03-31",
        "line 5: under 'z' names no objective in this file",
        "line 6: ref 'a' names two objectives (line 2)",
        "line 7: give both start and target, or neither for a milestone",
    ):
        assert problem in err, (problem, err)
    assert main(["goals", "export"]) == 0
    assert capsys.readouterr().out.strip() == "kind,ref,owner,level,title,under,due,start,target,unit,current"


def test_a_yaml_file_with_its_lines(demo_cli, tmp_path, capsys):
    capsys.readouterr()
    path = tmp_path / "goals.yaml"
    path.write_text(
        """- title: 提升客户满意度
  owner: bob@example.com
  due: 2027-03-31
  key_results:
    - title: 新增客户
      start: 0
      target: 40
      unit: 个客户
    - title: 收入
      start: 0
      target: lots
""",
        "utf-8",
    )
    assert main(["goals", "import", str(path)]) == 1
    assert "line 9: target 'lots' is not a number" in capsys.readouterr().err
    path.write_text(path.read_text("utf-8").replace("lots", "500000\n      unit: 元"), "utf-8")
    assert main(["goals", "import", str(path)]) == 0
    assert "Imported 1 objective with 2 key results." in capsys.readouterr().out
