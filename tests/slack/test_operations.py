"""What an operator reads from a running server: `/metrics`, `/healthz`, `/readyz`."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from adapters.app import build_app
from adapters.server import build_server
from bot.settings import Settings
from store import due_work, orgs
from tests.slack.support import USERS

KUDOS = f"<@{USERS['alice']}|alice> <@{USERS['wei']}|wei> great demo #ownership"


async def scrape(url: str) -> dict[tuple[str, tuple], float]:
    """Every sample of `/metrics`, by name and labels."""
    async with aiohttp.ClientSession() as session, session.get(f"{url}/metrics") as response:
        assert response.status == 200
        assert response.content_type == "text/plain"
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def get(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_requests_are_counted_by_route_and_status_with_their_latency(quiet_server, quiet_requests):
    for _ in range(3):
        await quiet_requests.command(USERS["bob"], KUDOS)
    assert (await quiet_requests.post("{}", form=False, sign=False)).status == 401
    async with aiohttp.ClientSession() as session:
        await session.get(f"{quiet_server.url}/no/such/page")
    metrics = await scrape(quiet_server.url)
    events = ("route", "/slack/events")
    assert metrics[("rapport_http_requests_total", (events, ("status", "200")))] == 3
    assert metrics[("rapport_http_requests_total", (events, ("status", "401")))] == 1
    assert metrics[("rapport_http_requests_total", (("route", "unmatched"), ("status", "404")))] == 1
    assert metrics[("rapport_http_request_seconds_count", (events,))] == 4
    assert metrics[("rapport_http_request_seconds_bucket", (("le", "3.0"), events))] == 4  # Slack's limit


async def test_the_outbox_backlog_and_its_oldest_message_per_platform(quiet_server, quiet_requests, clock):
    metrics = await scrape(quiet_server.url)
    assert metrics[("rapport_outbox_pending", (("platform", "slack"),))] == 0
    assert metrics[("rapport_outbox_oldest_seconds", (("platform", "slack"),))] == 0
    await quiet_requests.command(USERS["bob"], KUDOS)  # two DMs, not delivered: the worker is off
    clock.advance(timedelta(seconds=90))
    await quiet_requests.command(USERS["carol"], KUDOS)
    metrics = await scrape(quiet_server.url)
    assert metrics[("rapport_outbox_pending", (("platform", "slack"),))] == 4
    assert metrics[("rapport_outbox_oldest_seconds", (("platform", "slack"),))] == 90


async def test_delivery_outcomes_are_counted(server, slack, fake_slack):
    """Two DMs: Alice's first attempt meets 500s (the client's own retry too) and is tried again
    later, Wei's channel is refused for good."""
    fake_slack.fail("chat.postMessage", 500, times=2, channel="D0ALICE")
    fake_slack.fail("chat.postMessage", 200, error="channel_not_found", channel="D0WEI")
    await slack.command(USERS["bob"], KUDOS)

    async def outcomes() -> dict[str, float]:
        return {
            dict(labels)["outcome"]: value
            for (name, labels), value in (await scrape(server.url)).items()
            if name == "rapport_deliveries_total" and dict(labels)["platform"] == "slack"
        }

    for _ in range(250):  # five seconds at most for the worker to try both twice
        if sum((await outcomes()).values()) >= 3:
            break
        await asyncio.sleep(0.02)
    assert await outcomes() == {"retry": 1, "sent": 1, "failed": 1}


async def test_due_work_lag_is_how_late_the_most_overdue_work_is(quiet_server, slack_app, clock):
    now = clock.now()
    async with slack_app.db.transaction() as session:
        org = await orgs.by_slug(session, "acme")
        for minutes in (2, 5):
            await due_work.add_due(
                session,
                org_id=org.id,
                kind="test",
                subject=minutes,
                run_at=now - timedelta(minutes=minutes),
                now=now,
            )
        await due_work.add_due(
            session, org_id=org.id, kind="test", subject=9, run_at=now + timedelta(hours=1), now=now
        )
    metrics = await scrape(quiet_server.url)
    assert metrics[("rapport_due_work_overdue", ())] == 2
    assert metrics[("rapport_due_work_lag_seconds", ())] == 300


async def test_ready_when_the_database_answers_and_the_background_runs(server):
    status, body = await get(f"{server.url}/readyz")
    assert (status, body) == (200, {"ready": True, "checks": {"database": True, "slack-delivery": True}})
    server.slack.stop.set()  # the delivery worker ends, as if it had crashed
    await server.slack.task
    status, body = await get(f"{server.url}/readyz")
    assert status == 503
    assert body["checks"] == {"database": True, "slack-delivery": False}
    assert (await get(f"{server.url}/healthz"))[0] == 200  # alive all the same


async def test_not_ready_without_its_database_but_alive(clock):
    nowhere = "postgresql+asyncpg://rapport@127.0.0.1:1/rapport"  # nothing listens on port 1
    app = build_app(Settings(database_url=nowhere), clock=clock)
    runner = web.AppRunner(build_server(app, tick_seconds=3600))
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        status, body = await get(f"{url}/readyz")
        assert (status, body) == (503, {"ready": False, "checks": {"database": False, "due-work": True}})
        assert await get(f"{url}/healthz") == (200, {"ok": True})
    finally:
        await runner.cleanup()
        await app.close()
