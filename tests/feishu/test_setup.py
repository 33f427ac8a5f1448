"""`rapport feishu setup --url …`: what to enter in Feishu's developer console, in both languages."""

from __future__ import annotations

from adapters.cli import main


def test_setup_prints_the_request_url_events_and_scopes_in_both_languages(capsys, monkeypatch):
    monkeypatch.delenv("FEISHU_DOMAIN", raising=False)
    assert main(["feishu", "setup", "--url", "https://rapport.example.com/"]) == 0
    out = capsys.readouterr().out
    assert out.count("https://rapport.example.com/feishu/events") == 2
    for needed in ("im.message.receive_v1", "card.action.trigger", "im:message:send_as_bot",
                   "im:message.p2p_msg:readonly", "im:message.group_at_msg:readonly",
                   "contact:user.email:readonly", "FEISHU_LONG_CONNECTION=1"):
        assert out.count(needed) == 2, needed
    assert "Permissions & Scopes" in out and "权限管理" in out
    assert "FEISHU_DOMAIN=https://open.larksuite.com" in out


def test_setup_for_lark_points_at_larks_console(capsys, monkeypatch):
    monkeypatch.setenv("FEISHU_DOMAIN", "https://open.larksuite.com")
    assert main(["feishu", "setup", "--url", "https://rapport.example.com", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "https://open.larksuite.com/app" in out and "权限" not in out


def test_setup_refuses_an_address_feishu_cannot_call(capsys):
    assert main(["feishu", "setup", "--url", "http://localhost:3000"]) == 2
    assert "https" in capsys.readouterr().err
