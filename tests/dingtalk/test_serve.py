"""`rapport serve` with DingTalk configured: the stream opens by itself, answers, and closes on stop."""

from __future__ import annotations

import asyncio

from aiohttp import web

from adapters.app import build_app
from adapters.server import build_server
from bot.settings import Settings
from tests.dingtalk.fake import CLIENT_ID, CLIENT_SECRET


def _app(db, clock, environ):
    return build_app(Settings(database_url=db.url, org="acme", environ=environ), clock=clock, db=db)


async def test_the_server_opens_the_stream_answers_and_stops_within_seconds(db, clock, org, dingtalk):
    environ = {
        "DINGTALK_CLIENT_ID": CLIENT_ID,
        "DINGTALK_CLIENT_SECRET": CLIENT_SECRET,
        "DINGTALK_API_URL": dingtalk.url,
        "RAPPORT_ORG": "acme",
    }
    runner = web.AppRunner(build_server(_app(db, clock, environ)))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await dingtalk.connected()
        ack = await dingtalk.push("/v1.0/im/bot/messages/get", dingtalk.robot_message("bob", "help"))
        assert ack["code"] == 200
        [reply] = [s for s in dingtalk.sent if s.api == "webhook"]
        assert "kudos" in reply.text.lower()
    finally:
        await asyncio.wait_for(runner.cleanup(), 10)
    assert not dingtalk._connected.is_set()


async def test_without_credentials_dingtalk_stays_off(db, clock, org, dingtalk):
    server = build_server(_app(db, clock, {"DINGTALK_API_URL": dingtalk.url}))
    runner = web.AppRunner(server)
    await runner.setup()
    await runner.cleanup()
    assert dingtalk.calls == []
