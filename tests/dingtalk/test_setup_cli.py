"""`rapport dingtalk setup` says, in English and Chinese, what to configure and what is missing."""

from __future__ import annotations

from adapters.cli import main


def test_setup_speaks_both_languages_and_names_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/none.db")
    monkeypatch.delenv("DINGTALK_CLIENT_ID", raising=False)
    monkeypatch.setenv("DINGTALK_CLIENT_SECRET", "s3cret")
    assert main(["dingtalk", "setup"]) == 0
    out = capsys.readouterr().out
    assert "Stream mode" in out and "Stream 模式" in out
    assert "DINGTALK_CLIENT_ID not set yet" in out and "尚未设置 DINGTALK_CLIENT_ID" in out
    assert "s3cret" not in out  # never echoes a secret


def test_setup_says_when_dingtalk_is_configured(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/none.db")
    monkeypatch.setenv("DINGTALK_CLIENT_ID", "dingabc")
    monkeypatch.setenv("DINGTALK_CLIENT_SECRET", "s3cret")
    assert main(["dingtalk", "setup"]) == 0
    out = capsys.readouterr().out
    assert "`rapport serve` connects to DingTalk" in out and "会连接钉钉" in out
