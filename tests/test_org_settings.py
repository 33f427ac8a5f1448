"""`rapport org settings`: an organisation raises its anonymity threshold, sets its cap and values."""

from __future__ import annotations

from adapters.cli import main


def test_settings_are_shown_changed_and_guarded(demo_cli, capsys):
    capsys.readouterr()
    assert (
        main(
            [
                "org",
                "settings",
                "--anonymity-threshold",
                "5",
                "--daily-give-cap",
                "20",
                "--values",
                "#Ownership, craft",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "anonymity threshold (anonymous feedback, the pulse, HR figures): 5" in out
    assert "give a day: 20" in out and "#ownership, #craft" in out
    assert main(["org", "settings", "--anonymity-threshold", "2"]) == 1
    assert "Not changed: the anonymity threshold is at least 3" in capsys.readouterr().err
    assert main(["org", "settings"]) == 0
    assert "anonymity threshold (anonymous feedback, the pulse, HR figures): 5" in capsys.readouterr().out


def test_goals_can_be_made_private_and_run_by_halves(demo_cli, capsys):
    capsys.readouterr()
    assert main(["org", "settings", "--goals", "private", "--goal-cycle", "half"]) == 0
    out = capsys.readouterr().out
    assert "goals: private to the person, their managers and HR" in out and "goal cycle: half" in out
    assert main(["org", "settings", "--goals", "visible"]) == 0
    assert "goals: visible to all" in capsys.readouterr().out


def test_the_default_time_zone_is_set_shown_and_checked(demo_cli, capsys):
    capsys.readouterr()
    assert main(["org", "settings"]) == 0
    assert "time zone of people with none of their own: UTC" in capsys.readouterr().out
    assert main(["org", "settings", "--timezone", "asia/shanghai"]) == 0
    assert "time zone of people with none of their own: Asia/Shanghai" in capsys.readouterr().out
    assert main(["org", "settings", "--timezone", "Europe/Berln"]) == 1
    assert "Not changed: 'Europe/Berln' is not a time zone; did you mean Europe/Berlin?" in capsys.readouterr().err
    assert main(["org", "settings", "--timezone", "Mars/Olympus"]) == 1
    assert "Not changed: 'Mars/Olympus' is not a time zone" in capsys.readouterr().err
    assert main(["org", "settings"]) == 0
    assert "time zone of people with none of their own: Asia/Shanghai" in capsys.readouterr().out
