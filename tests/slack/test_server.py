"""Rapport's server over loopback HTTP: signed slash commands, verification, delivery through the fake API."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
from sqlalchemy import func, select

from store.models import Kudos, OutboxMessage, Person
from tests.slack.conftest import wait_until
from tests.slack.support import SIGNING_SECRET, USERS, signature_headers, slash_command


async def count(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_healthz(server):
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True}


async def test_kudos_end_to_end(slack, slack_app, fake_slack):
    """Slash command → ephemeral reply in the ack → a DM to each recipient through the Web API."""
    response = await slack.command(
        USERS["bob"], f"<@{USERS['alice']}|alice> <@{USERS['wei']}|wei> great demo #ownership"
    )
    assert response.status == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    assert "Kudos sent to Alice Smith and 张伟" in body["text"]
    assert body["blocks"][0]["type"] == "section"
    await wait_until(lambda: len(fake_slack.called("chat.postMessage")) == 2)
    alice = fake_slack.posted("D0ALICE")
    assert "*Bob Brown* gave you kudos: great demo" in alice[0]["blocks"][0]["text"]["text"]
    assert alice[0]["blocks"][1]["elements"][0]["text"] == "Values: #ownership"
    wei = fake_slack.posted("D0WEI")
    assert "给你点赞" in wei[0]["text"]
    assert {c.params["channel"] for c in fake_slack.called("chat.postMessage")} == {"U0ALICE", "U0WEI"}
    assert {c.token for c in fake_slack.calls} == {"xoxb-test-token"}
    # The worker marks a message sent just after Slack accepted it: wait for that, then look.
    deadline = time.monotonic() + 5
    while True:
        async with slack_app.db.read() as session:
            statuses = list(await session.scalars(select(OutboxMessage.status)))
        if statuses == ["sent", "sent"] or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.01)
    assert statuses == ["sent", "sent"]


async def test_kudos_in_a_channel_are_posted_there(slack, fake_slack):
    response = await slack.command(
        USERS["alice"], f"<@{USERS['bob']}|bob> thanks for the call", channel="C0GENERAL"
    )
    assert "posted them here" in response.json()["text"]
    await wait_until(lambda: len(fake_slack.posted("C0GENERAL")) == 1)
    assert "gave kudos to Bob Brown" in fake_slack.posted("C0GENERAL")[0]["text"]


async def test_no_web_api_call_on_the_request_path(server, slack, fake_slack):
    server.slack.stop.set()  # stop delivery, so only the request path could call Slack
    await server.slack.task
    calls_before = len(fake_slack.calls)
    await slack.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    assert len(fake_slack.calls) == calls_before


async def test_unknown_command_gets_help(slack):
    response = await slack.command(USERS["bob"], "", command="/rapport-nonsense")
    text = response.json()["text"]
    assert "/rapport-nonsense" in text and "/kudos" in text


async def test_bad_signature_is_refused_and_nothing_is_written(slack, slack_app):
    body = slash_command(user=USERS["bob"], text=f"<@{USERS['alice']}|alice> great demo")
    wrong = signature_headers(body, secret="not-the-secret")
    assert (await slack.post(body, form=True, sign=False, headers=wrong)).status == 401
    assert (await slack.post(body, form=True, sign=False)).status == 401
    tampered = signature_headers(body)
    assert (await slack.post(body + "x", form=True, sign=False, headers=tampered)).status == 401
    assert await count(slack_app, Kudos) == 0
    assert await count(slack_app, OutboxMessage) == 0


async def test_stale_signature_is_refused(slack, slack_app):
    body = slash_command(user=USERS["bob"], text=f"<@{USERS['alice']}|alice> great demo")
    stale = signature_headers(body, secret=SIGNING_SECRET, timestamp=int(time.time()) - 6 * 60)
    assert (await slack.post(body, form=True, sign=False, headers=stale)).status == 401
    assert await count(slack_app, Kudos) == 0


async def test_a_user_not_in_the_organisation_yet(slack, slack_app, fake_slack):
    response = await slack.command("U0NEWBIE", f"<@{USERS['alice']}|alice> welcome lunch was great")
    assert "Kudos sent to Alice Smith" in response.json()["text"]
    async with slack_app.db.read() as session:
        assert await session.scalar(select(func.count()).where(Person.display_name == "U0NEWBIE")) == 1
    await wait_until(lambda: len(fake_slack.posted("D0ALICE")) == 1)


async def test_a_data_export_arrives_in_slack_as_a_file(slack, slack_app, fake_slack):
    """`/rapport export`: the JSON file is uploaded to the person's DM, then the message naming it."""
    response = await slack.command(USERS["wei"], "export", command="/rapport")
    assert "JSON 文件" in response.json()["text"]
    await wait_until(lambda: len(fake_slack.called("chat.postMessage")) == 1)
    [file] = fake_slack.files.values()
    assert file["name"].startswith("rapport-export-wei-") and file["channel"] == "D0WEI"
    data = json.loads(file["content"])
    assert data["profile"]["name"] == "张伟"
    assert fake_slack.calls.index(
        fake_slack.called("files.completeUploadExternal")[0]
    ) < fake_slack.calls.index(fake_slack.called("chat.postMessage")[0])
