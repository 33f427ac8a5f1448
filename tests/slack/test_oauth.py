"""Many workspaces over loopback: installed through slack-bolt's OAuth flow, kept apart, uninstalled."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import func, select

from adapters.app import build_app
from bot.settings import Settings
from store import orgs
from store.models import Kudos, OutboxMessage, Person
from tests.slack.conftest import start_server, wait_until
from tests.slack.support import SIGNING_SECRET, SlackRequests, dm_event

# team id → (name, bot token, bot user, the OAuth code that installs it)
TEAMS = {
    "T0ONE": ("One Inc", "xoxb-one", "U0BOTONE", "code-one"),
    "T0TWO": ("Two Ltd", "xoxb-two", "U0BOTTWO", "code-two"),
}


@pytest.fixture
async def oauth_app(db, clock, fake_slack):
    for team_id, (name, token, bot_user, code) in TEAMS.items():
        fake_slack.add_team(team_id, name=name, token=token, bot_user_id=bot_user, code=code)
    settings = Settings(
        database_url=db.url,
        environ={
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake_slack.url,
            "SLACK_CLIENT_ID": "1111.2222",
            "SLACK_CLIENT_SECRET": "client-secret",
        },
    )
    return build_app(settings, clock=clock, db=db)


@pytest.fixture
async def oauth_server(oauth_app, fake_slack):
    running = await start_server(oauth_app, fake_slack)
    yield running
    await running.runner.cleanup()


@pytest.fixture
async def browser(oauth_server):
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def slack(oauth_server):
    async with aiohttp.ClientSession() as session:
        yield SlackRequests(url=f"{oauth_server.url}/slack/events", session=session)


def authorize_link(page: str) -> str:
    return html.unescape(re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page).group(1))


async def install(browser, server, code: str) -> tuple[int, str]:
    """Open the install page, then come back to the redirect URL as Slack sends the installer back: with
    the link's state and the browser's state cookie (a Secure cookie, so sent by hand over http)."""
    async with browser.get(f"{server.url}/slack/install") as page:
        assert page.status == 200
        link = authorize_link(await page.text())
        cookie = page.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([\w-]+)", link).group(1)
    params = {"code": code, "state": state}
    url = f"{server.url}/slack/oauth_redirect"
    async with browser.get(url, params=params, headers={"Cookie": cookie}) as back:
        return back.status, await back.text()


async def people_of(app, team_id: str) -> dict[str, str]:
    async with app.db.read() as session:
        org = await orgs.for_workspace(session, platform="slack", external_id=team_id)
        rows = await session.scalars(select(Person).where(Person.org_id == org.id))
        return {p.display_name: p.id for p in rows}


async def kudos_in(app, team_id: str) -> list[str]:
    async with app.db.read() as session:
        org = await orgs.for_workspace(session, platform="slack", external_id=team_id)
        return list(await session.scalars(select(Kudos.message).where(Kudos.org_id == org.id)))


async def test_install_page_links_to_slack_with_scopes_and_state(browser, oauth_server):
    async with browser.get(f"{oauth_server.url}/slack/install") as page:
        link = authorize_link(await page.text())
        assert "slack-app-oauth-state" in page.headers["Set-Cookie"]
    assert "client_id=1111.2222" in link and "users:read," in link and "state=" in link


async def test_a_redirect_without_the_browser_state_installs_nothing(oauth_server, oauth_app, fake_slack):
    async with aiohttp.ClientSession() as stranger:
        url = f"{oauth_server.url}/slack/oauth_redirect"
        async with stranger.get(url, params={"code": "code-one", "state": "forged"}) as response:
            assert response.status == 400
    assert fake_slack.called("oauth.v2.access") == []
    async with oauth_app.db.read() as session:
        assert await orgs.for_workspace(session, platform="slack", external_id="T0ONE") is None


async def test_two_workspaces_never_mix(browser, oauth_server, oauth_app, slack, fake_slack):
    for code in ("code-one", "code-two"):
        status, _ = await install(browser, oauth_server, code)
        assert status == 200
    exchanges = fake_slack.called("oauth.v2.access")
    assert [c.params["code"] for c in exchanges] == ["code-one", "code-two"]
    async with oauth_app.db.read() as session:
        one = await orgs.for_workspace(session, platform="slack", external_id="T0ONE")
        two = await orgs.for_workspace(session, platform="slack", external_id="T0TWO")
    assert (one.slug, one.name, two.slug, two.name) == ("slack-t0one", "One Inc", "slack-t0two", "Two Ltd")

    # The same user ids and names in both workspaces.
    for team, words in (("T0ONE", "shipped the One release"), ("T0TWO", "fixed the Two outage")):
        response = await slack.command("U0BOB", f"<@U0ALICE|alice> {words}", team=team)
        assert "Kudos sent to @alice" in response.json()["text"]
    assert await kudos_in(oauth_app, "T0ONE") == ["shipped the One release"]
    assert await kudos_in(oauth_app, "T0TWO") == ["fixed the Two outage"]
    one_people, two_people = await people_of(oauth_app, "T0ONE"), await people_of(oauth_app, "T0TWO")
    assert set(one_people) == set(two_people) == {"U0BOB", "@alice"}
    assert not set(one_people.values()) & set(two_people.values())

    # Each workspace's DM goes out with its own token.
    await wait_until(lambda: len(fake_slack.called("chat.postMessage")) == 2)
    sent = {c.token: c.params["text"] for c in fake_slack.called("chat.postMessage")}
    assert "One release" in sent["xoxb-one"] and "Two outage" in sent["xoxb-two"]


async def test_a_workspace_that_uninstalled_the_app(
    browser, oauth_server, oauth_app, slack, fake_slack, clock
):
    for code in ("code-one", "code-two"):
        await install(browser, oauth_server, code)
    oauth_server.slack.stop.set()  # hold delivery: a DM is queued for Two when it uninstalls
    await oauth_server.slack.task
    await slack.command("U0BOB", "<@U0ALICE|alice> thanks for the handover", team="T0TWO")

    uninstalled = {"type": "app_uninstalled"}
    assert (
        await slack.event(uninstalled, event_id="EvGone", team="T0TWO", bot_user="U0BOTTWO")
    ).status == 200

    response = await slack.command("U0BOB", "<@U0ALICE|alice> one more thanks", team="T0TWO")
    assert response.status == 200
    assert "Ask an admin to install it again" in response.json()["text"]
    dm = dm_event(user="U0BOB", text="hello?")
    assert (await slack.event(dm, event_id="EvAfter", team="T0TWO", bot_user="U0BOTTWO")).status == 200
    assert await kudos_in(oauth_app, "T0TWO") == ["thanks for the handover"]

    # The DM queued before the uninstall waits: an admin may install Rapport again while it is useful.
    outcomes = await oauth_server.slack.worker.run_once()
    assert [(o.status, o.error) for o in outcomes] == [
        ("retry", "Rapport is not installed in workspace T0TWO")
    ]
    assert not fake_slack.called("chat.postMessage")
    # One is untouched: it still works and still delivers.
    await slack.command("U0BOB", "<@U0ALICE|alice> still here", team="T0ONE")
    outcomes = await oauth_server.slack.worker.run_once()  # with Two's DM, tried again (no backoff here)
    assert sorted(o.status for o in outcomes) == ["retry", "sent"]
    async with oauth_app.db.read() as session:
        waiting = await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )
    assert waiting == 1

    # Two installs Rapport again: the waiting DM goes out with the new installation's token.
    assert (await install(browser, oauth_server, "code-two"))[0] == 200
    clock.advance(timedelta(minutes=1))
    assert [o.status for o in await oauth_server.slack.worker.run_once()] == ["sent"]
    [handover] = [c for c in fake_slack.called("chat.postMessage") if "handover" in c.params["text"]]
    assert handover.token == "xoxb-two"


async def test_revoked_bot_token_removes_the_installation(browser, oauth_server, slack):
    await install(browser, oauth_server, "code-one")
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOTONE"]}}
    assert (await slack.event(revoked, event_id="EvRevoked", team="T0ONE", bot_user="U0BOTONE")).status == 200
    response = await slack.command("U0BOB", "<@U0ALICE|alice> thanks", team="T0ONE")
    assert "Ask an admin to install it again" in response.json()["text"]
    assert await oauth_server.slack.workspaces.client("T0ONE") is None


async def test_a_workspace_that_never_installed_gets_a_polite_answer(slack, oauth_app):
    response = await slack.command("U0BOB", "<@U0ALICE|alice> hello", team="T0NEVER")
    assert response.status == 200
    assert "Ask an admin to install it again" in response.json()["text"]
    async with oauth_app.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Kudos)) == 0
