"""`rapport admin grant hr EMAIL`, run through the real command line."""

from __future__ import annotations

import shutil

from adapters.cli import main


def test_grant_hr_is_idempotent_and_refuses_strangers(sqlite_template, tmp_path, monkeypatch, capsys):
    path = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    assert main(["demo-org"]) == 0
    assert main(["admin", "grant", "hr", "CAROL@example.com"]) == 0
    assert main(["admin", "grant", "hr", "carol@example.com"]) == 0
    assert main(["admin", "grant", "hr", "mallory@example.com"]) == 1
    out, err = capsys.readouterr()
    assert "Carol Jones now has the hr role in 'demo'." in out
    assert "Carol Jones already had the hr role in 'demo'." in out
    assert "There is nobody with the email mallory@example.com in organisation 'demo'." in err
