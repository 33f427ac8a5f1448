"""`rapport serve`'s one application with Teams on: the endpoint, the background delivery worker and
the due-work tick, together, with nobody driving delivery by hand."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime

import aiohttp
from aiohttp import web

from adapters.platforms import enabled
from adapters.server import build_server
from adapters.teams.platform import build_teams
from adapters.teams.settings import TeamsSettings
from tests.teams.conftest import activity, card_text, link_teams_ids, mention, user_id


async def wait_until(condition, *, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def running(application: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(application)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    return runner, f"http://{host}:{port}"


def settings(connector, *, allow_local: bool = True) -> TeamsSettings:
    return TeamsSettings(org="acme", service_url=connector.url + "/", allow_local=allow_local)


async def test_kudos_and_a_scheduled_prompt_reach_teams_users_by_themselves(app, org, connector, clock):
    await link_teams_ids(app, org)
    runner, base = await running(
        build_server(app, platforms=[build_teams(app, settings=settings(connector))], tick_seconds=0.05)
    )
    try:
        async with aiohttp.ClientSession() as http:
            assert (await http.get(f"{base}/healthz")).status == 200
            kudos = activity(
                "alice",
                service_url=connector.url,
                text="kudos <at>Erin Park</at> great demo",
                entities=[mention("erin")],
            )
            assert (await http.post(f"{base}/api/messages", json=kudos)).status == 201
        # Erin never wrote to Rapport: the worker creates her chat and delivers, nobody calls it.
        await wait_until(lambda: connector.conversation_with(user_id("erin")) is not None)
        erin = connector.conversation_with(user_id("erin"))
        try:
            await wait_until(lambda: len(connector.messages(erin)) >= 1)
        except AssertionError:
            from sqlalchemy import select

            from store.models import OutboxMessage

            async with app.db.read() as s:
                print(
                    "ROWS",
                    [
                        (r.id, r.platform, r.kind, r.status, r.attempts, r.last_error, r.next_attempt_at)
                        for r in await s.scalars(select(OutboxMessage))
                    ],
                )
            print("CALLS", [(c.path, c.status, card_text(c)) for c in connector.calls])
            raise
        print("CALLS", [(c.path, c.status if hasattr(c, "status") else None) for c in connector.calls])
        assert "Alice Smith gave you kudos: great demo" in card_text(connector.messages(erin)[0]).replace(
            "*", ""
        )

        async with aiohttp.ClientSession() as http:
            schedule = activity(
                "alice", service_url=connector.url, text="checkin schedule weekly wednesday 10:00"
            )
            assert (await http.post(f"{base}/api/messages", json=schedule)).status == 201
        clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday 10:00 in Berlin
        alice = connector.conversation_with(user_id("alice"))
        await wait_until(lambda: any("check-in" in card_text(c) for c in connector.messages(alice)))
    finally:
        await runner.cleanup()


async def test_without_an_app_id_teams_stays_off_unless_local_mode_is_asked_for(app, org, connector):
    runner, base = await running(build_server(app, platforms=enabled(app, {"RAPPORT_ORG": "acme"})))
    try:
        async with aiohttp.ClientSession() as http:
            hello = activity("alice", service_url=connector.url, text="help")
            assert (await http.post(f"{base}/api/messages", json=hello)).status == 404
    finally:
        await runner.cleanup()


def test_a_server_without_teams_never_loads_botbuilder():
    """botbuilder and its Azure libraries are 40 MB a Slack-only `rapport serve` need not hold."""
    code = (
        "import asyncio, sys, adapters.cli, adapters.server\n"
        "from adapters.app import build_app\n"
        "from bot.settings import Settings\n"
        "settings = Settings(database_url='sqlite:///:memory:', org='acme',"
        " environ={'SLACK_BOT_TOKEN': 'xoxb-x', 'SLACK_SIGNING_SECRET': 's'})\n"
        "async def main():\n"
        "    adapters.server.build_server(build_app(settings))\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('botbuilder', 'msrest', 'azure'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
