"""`rapport admin grant hr EMAIL`, run through the real command line."""

from __future__ import annotations

from adapters.cli import main


def test_grant_hr_is_idempotent_and_refuses_strangers(demo_cli, capsys):
    assert main(["admin", "grant", "hr", "CAROL@example.com"]) == 0
    assert main(["admin", "grant", "hr", "carol@example.com"]) == 0
    assert main(["admin", "grant", "hr", "mallory@example.com"]) == 1
    out, err = capsys.readouterr()
    assert "Carol Jones now has the hr role in 'demo'." in out
    assert "Carol Jones already had the hr role in 'demo'." in out
    assert "There is nobody with the email mallory@example.com in organisation 'demo'." in err
