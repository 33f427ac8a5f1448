"""manifest.yml matches what the app registers, and each thing it declares works over HTTP."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.cli import main
from adapters.slack.listeners import LISTENED_EVENTS, PROFILE_EVENTS, UNINSTALL_EVENTS
from adapters.slack.manifest import PLACEHOLDER_URL, build_manifest
from bot.features import build_router
from bot.i18n import Catalogue
from tests.slack.conftest import wait_until
from tests.slack.fake_slack import BOT_USER_ID
from tests.slack.support import USERS, dm_event

MANIFEST = Path(__file__).parents[2] / "manifest.yml"


def test_manifest_yml_is_the_generated_manifest():
    on_disk = yaml.safe_load(MANIFEST.read_text("utf-8"))
    commands = build_router().commands
    assert on_disk == build_manifest(
        url=PLACEHOLDER_URL, commands=commands, t=Catalogue.load().messages("en")
    )


def test_manifest_declares_what_the_app_registers():
    manifest = yaml.safe_load(MANIFEST.read_text("utf-8"))
    router_commands = set(build_router().commands)
    declared = manifest["features"]["slash_commands"]
    assert {c["command"] for c in declared} == {
        "/kudos",
        "/feedback",
        "/checkin",
        "/action",
        "/goal",
        "/review",
        "/rapport",
    }
    assert all(c["command"].lstrip("/") in router_commands for c in declared)
    assert all(c["description"] and c["usage_hint"] and c["should_escape"] is True for c in declared)
    assert all(len(c["description"]) <= 100 and len(c["usage_hint"]) <= 100 for c in declared)
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {e.removesuffix(".im") for e in events} == {*LISTENED_EVENTS, *UNINSTALL_EVENTS, *PROFILE_EVENTS}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]


def test_rapport_slack_manifest_fills_in_the_url(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/r.db")
    assert main(["slack", "manifest", "--url", "https://example.org/"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    urls = {c["url"] for c in manifest["features"]["slash_commands"]}
    urls |= {manifest["settings"]["event_subscriptions"]["request_url"]}
    urls |= {manifest["settings"]["interactivity"]["request_url"]}
    assert urls == {"https://example.org/slack/events"}


async def test_every_declared_command_and_event_is_answered(slack, fake_slack):
    manifest = yaml.safe_load(MANIFEST.read_text("utf-8"))
    for declared in manifest["features"]["slash_commands"]:
        response = await slack.command(USERS["bob"], "", command=declared["command"])
        assert response.status == 200
        assert "I don't know the command" not in response.json()["text"]
    await slack.event(dm_event(user=USERS["bob"], text="hi"), event_id="EvIm")
    mention = {"type": "app_mention", "user": USERS["bob"], "text": f"<@{BOT_USER_ID}> hi", "channel": "C0X"}
    await slack.event(mention, event_id="EvMention")
    await wait_until(lambda: len(fake_slack.posted()) == 2)
