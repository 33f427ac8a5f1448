"""`rapport serve --socket-mode`: slack-bolt's aiohttp Socket Mode handler on the same bolt app and
listeners, against a fake Socket Mode server on 127.0.0.1 (apps.connections.open hands out its URL)."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qsl

from aiohttp import web
from sqlalchemy import select

from adapters.server import build_server
from adapters.slack.platform import build_slack
from adapters.slack.settings import SlackSettings
from store.models import Kudos
from tests.slack.conftest import WORKER_OPTIONS, make_clients, wait_until
from tests.slack.support import USERS, slash_command

APP_TOKEN = "xapp-1-A0RAPPORT-1-secret"


async def test_slash_command_over_socket_mode(slack_app, fake_slack):
    environ = {**slack_app.settings.environ, "SLACK_APP_TOKEN": APP_TOKEN}
    slack_app.settings = dataclasses.replace(slack_app.settings, environ=environ)
    assert SlackSettings.from_env({**slack_app.settings.environ, "SLACK_SOCKET_MODE": "1"}).configured
    slack = build_slack(
        slack_app, clients=make_clients(fake_slack), worker_options=WORKER_OPTIONS, socket_mode=True
    )
    assert slack.socket.app is slack.bolt  # the same listeners as /slack/events
    runner = web.AppRunner(build_server(slack_app, platforms=[slack]), shutdown_timeout=2)
    await runner.setup()
    try:
        (opened,) = fake_slack.called("apps.connections.open")
        assert opened.token == APP_TOKEN
        form = dict(parse_qsl(slash_command(user=USERS["bob"], text=f"<@{USERS['alice']}|alice> great demo")))
        envelope = {
            "envelope_id": "env-1",
            "type": "slash_commands",
            "accepts_response_payload": True,
            "payload": form,
        }
        ack = await fake_slack.push(envelope)
        assert ack["envelope_id"] == "env-1"
        assert "Kudos sent to Alice Smith" in ack["payload"]["text"]
        async with slack_app.db.read() as session:
            assert (await session.scalars(select(Kudos.message))).all() == ["great demo"]
        await wait_until(lambda: len(fake_slack.posted("D0ALICE")) == 1)  # delivery runs as usual
    finally:
        await runner.cleanup()
