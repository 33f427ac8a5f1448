"""Feishu in `rapport serve`: with FEISHU_APP_ID set, the server answers Feishu's url_verification
at `/feishu/events`, learns the bot's open_id, delivers through its worker, and stops cleanly; with
FEISHU_LONG_CONNECTION=1 it mounts no request URL and connects out instead."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import web

from adapters.platforms import enabled
from adapters.server import build_server
from tests.feishu.conftest import TOKEN, link_feishu_ids, message_event


async def _serve(app, environ: dict[str, str]) -> tuple[web.AppRunner, str]:
    platforms = enabled(app, environ)
    assert [p.name for p in platforms] == ["feishu"]
    runner = web.AppRunner(build_server(app, platforms=platforms))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


def _environ(fake, **more: str) -> dict[str, str]:
    """What an operator sets (FEISHU_DOMAIN points lark-oapi at the fake)."""
    return {
        "FEISHU_APP_ID": fake.app_id, "FEISHU_APP_SECRET": fake.app_secret, "FEISHU_DOMAIN": fake.url,
        "RAPPORT_ORG": "acme", **more,
    }


async def test_serve_answers_feishu_and_delivers(app, org, fake):
    await link_feishu_ids(app, org)
    runner, url = await _serve(app, _environ(fake, FEISHU_VERIFICATION_TOKEN=TOKEN))
    async with aiohttp.ClientSession() as http:
        challenge = {"challenge": "c-1", "token": TOKEN, "type": "url_verification"}
        async with http.post(f"{url}/feishu/events", json=challenge) as response:
            assert (response.status, await response.json()) == (200, {"challenge": "c-1"})
        async with http.post(f"{url}/feishu/events", json=message_event("alice", "/kudos @bob 谢谢")) as response:
            assert response.status == 200
    for _ in range(100):  # the worker polls every half second
        if any(s.receive_id == "ou_bob" for s in fake.sent):
            break
        await asyncio.sleep(0.1)
    await runner.cleanup()
    assert [s.receive_id for s in fake.sent].count("ou_bob") == 1
    assert "/open-apis/bot/v3/info" in fake.calls


async def test_serve_over_the_long_connection_mounts_no_request_url(app, org, fake):
    runner, url = await _serve(app, _environ(fake, FEISHU_LONG_CONNECTION="1"))
    await asyncio.wait_for(fake.long_connection.connected.wait(), 10)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/feishu/events", data=json.dumps({"type": "url_verification"})) as response:
            assert response.status in (404, 405)
    await runner.cleanup()
    assert not fake.long_connection.sockets
