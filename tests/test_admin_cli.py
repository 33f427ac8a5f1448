"""`rapport admin grant|revoke hr EMAIL`, run through the real command line."""

from __future__ import annotations

import io

from adapters.cli import main


def test_grant_hr_is_idempotent_and_refuses_strangers(demo_cli, capsys):
    assert main(["admin", "grant", "hr", "CAROL@example.com"]) == 0
    assert main(["admin", "grant", "hr", "carol@example.com"]) == 0
    assert main(["admin", "grant", "hr", "mallory@example.com"]) == 1
    out, err = capsys.readouterr()
    assert "Carol Jones now has the hr role in 'demo'." in out
    assert "Carol Jones already had the hr role in 'demo'." in out
    assert "There is nobody with the email mallory@example.com in organisation 'demo'." in err


def _dashboard_as(email: str, monkeypatch, capsys) -> str:
    """What `/rapport dashboard` answers `email` in `rapport shell`."""
    monkeypatch.setattr("sys.stdin", io.StringIO("/rapport dashboard\n:quit\n"))
    capsys.readouterr()
    assert main(["shell", "--as", email]) == 0
    return capsys.readouterr().out


def test_revoke_takes_the_hr_role_away_at_once(demo_cli, capsys, monkeypatch):
    assert main(["admin", "grant", "hr", "wei@example.com"]) == 0
    assert "admin/signin?token=" in _dashboard_as("wei@example.com", monkeypatch, capsys)
    assert main(["admin", "revoke", "hr", "WEI@example.com"]) == 0
    assert main(["admin", "revoke", "hr", "wei@example.com"]) == 0
    assert main(["admin", "revoke", "hr", "mallory@example.com"]) == 1
    out, err = capsys.readouterr()
    assert "张伟 no longer has the hr role in 'demo'." in out
    assert "张伟 did not have the hr role in 'demo'." in out
    assert "There is nobody with the email mallory@example.com in organisation 'demo'." in err
    assert "仪表板面向 HR 和经理" in _dashboard_as("wei@example.com", monkeypatch, capsys)
