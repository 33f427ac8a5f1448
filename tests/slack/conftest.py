"""Fixtures: a fake Slack Web API, and Rapport's server on loopback with real slack-bolt in front."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web

from adapters.app import build_app
from adapters.server import build_server
from adapters.slack.clients import SlackClients
from adapters.slack.platform import Slack, build_slack
from bot.settings import Settings
from store import people
from tests.slack.fake_slack import FakeSlack
from tests.slack.support import SIGNING_SECRET, USERS, SlackRequests
from tests.support import seed_org

BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
async def fake_slack():
    fake = await FakeSlack().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack_app(db, clock, fake_slack):
    """The app configured for one Slack workspace, with Acme seeded and its people known on Slack."""
    settings = Settings(
        database_url=db.url,
        org="acme",
        environ={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
        },
    )
    app = build_app(settings, clock=clock, db=db)
    await seed_slack_org(app)
    return app


async def seed_slack_org(app) -> None:
    """Acme, its people known on Slack by the ids in USERS."""
    org = await seed_org(app, slug="acme", values=["ownership", "teamwork", "customer"])
    async with app.db.transaction() as session:
        for handle, user_id in USERS.items():
            person = await people.by_handle(session, org_id=org.id, handle=handle)
            await people.add_identity(
                session, org_id=org.id, person_id=person.id, platform="slack", user_id=user_id
            )


def make_clients(fake_slack: FakeSlack) -> SlackClients:
    return SlackClients(base_url=fake_slack.url, timeout=1.0, rate_limit_retries=1)


WORKER_OPTIONS = {"interval": 0.02, "backoff": timedelta(0), "grace": 1.0}


async def start_server(app, fake_slack, *, deliver: bool = True):
    slack = build_slack(app, clients=make_clients(fake_slack), worker_options=WORKER_OPTIONS)
    slack.deliver = deliver
    runner = web.AppRunner(build_server(app, platforms=[slack]), shutdown_timeout=2)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    return Server(runner=runner, slack=slack, url=f"http://127.0.0.1:{runner.addresses[0][1]}")


@dataclass
class Server:
    runner: web.AppRunner
    slack: Slack
    url: str


@pytest.fixture
async def server(slack_app, fake_slack):
    """Rapport serving Slack on 127.0.0.1, with the delivery worker running in the background."""
    running = await start_server(slack_app, fake_slack)
    yield running
    await running.runner.cleanup()


@pytest.fixture
async def quiet_server(slack_app, fake_slack):
    """The server with its background work (delivery, profiles) off: the tests run it themselves."""
    running = await start_server(slack_app, fake_slack, deliver=False)
    yield running
    await running.runner.cleanup()


@pytest.fixture
async def quiet_requests(quiet_server):
    async with aiohttp.ClientSession() as session:
        yield SlackRequests(url=f"{quiet_server.url}/slack/events", session=session)


@pytest.fixture
async def slack(server, slack_app):
    """Signed requests to the running server."""
    async with aiohttp.ClientSession() as session:
        yield SlackRequests(url=f"{server.url}/slack/events", session=session)


async def wait_until(predicate, *, within: float = 5.0) -> None:
    """Wait for the background delivery worker to make `predicate` true."""
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for delivery")
        await asyncio.sleep(0.01)
