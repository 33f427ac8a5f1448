"""Delivery through the fake Web API: 429 storms, server errors, hangs, a restart mid-send."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from adapters.delivery import DeliveryWorker
from adapters.slack.clients import SlackClients
from adapters.slack.sender import SlackSender
from adapters.slack.workspaces import SingleWorkspace
from store import outbox_marks
from store.models import OutboxMessage
from tests.slack.conftest import BOT_TOKEN, make_clients, wait_until
from tests.slack.support import USERS


def worker_for(app, fake_slack, *, clients=None, **options) -> tuple[DeliveryWorker, SlackClients]:
    """A fresh worker with its own clients (or `clients`), as a restarted process would have."""
    clients = clients or make_clients(fake_slack)
    workspaces = SingleWorkspace(
        token=BOT_TOKEN, clients=clients, db=app.db, clock=app.clock, org_slug="acme"
    )
    sender = SlackSender(db=app.db, workspaces=workspaces, catalogue=app.catalogue)
    settings = {"backoff": timedelta(0), **options}
    return DeliveryWorker(db=app.db, clock=app.clock, platform="slack", sender=sender, **settings), clients


async def give_kudos(quiet_requests, times: int) -> None:
    everyone = " ".join(f"<@{USERS[h]}|{h}>" for h in ("alice", "carol", "wei", "dan"))
    for number in range(times):
        response = await quiet_requests.command(USERS["bob"], f"{everyone} great demo number {number}")
        assert response.status == 200


async def statuses(app) -> Counter:
    async with app.db.read() as session:
        return Counter(await session.scalars(select(OutboxMessage.status)))


async def drain(worker: DeliveryWorker, app, *, rounds: int = 30) -> None:
    for _ in range(rounds):
        counts = await statuses(app)
        if not counts["pending"] and not counts["sending"]:
            return
        await worker.run_once()
    raise AssertionError(f"outbox not drained: {await statuses(app)}")


def delivered_ids(fake_slack) -> Counter:
    return Counter(m["metadata"]["event_payload"]["outbox_id"] for m in fake_slack.posted())


async def test_a_429_storm_delivers_every_message_exactly_once(quiet_requests, slack_app, fake_slack):
    await give_kudos(quiet_requests, times=5)  # 20 DMs
    fake_slack.fail("chat.postMessage", 429, times=40, retry_after=0)
    worker, clients = worker_for(slack_app, fake_slack)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=20)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 21)})
    assert len(fake_slack.called("chat.postMessage")) == 60  # 40 refused, 20 accepted


async def test_server_errors_are_retried(quiet_requests, slack_app, fake_slack):
    await give_kudos(quiet_requests, times=1)
    fake_slack.fail("chat.postMessage", 500, times=6)
    worker, clients = worker_for(slack_app, fake_slack)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=4)
    assert sorted(delivered_ids(fake_slack).values()) == [1, 1, 1, 1]


async def test_a_hung_send_is_checked_before_it_is_sent_again(quiet_requests, slack_app, fake_slack):
    """Slack took the message but never answered: the retry finds it in the DM's history."""
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    fake_slack.hang("chat.postMessage")
    worker, clients = worker_for(slack_app, fake_slack)
    await worker.run_once()  # times out after a second
    assert await statuses(slack_app) == Counter(pending=1)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=1)
    assert len(fake_slack.called("chat.postMessage")) == 1
    assert len(fake_slack.called("conversations.history")) == 1


async def test_a_restart_between_send_and_mark_sends_once(quiet_requests, slack_app, fake_slack, clock):
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> <@{USERS['wei']}|wei> great demo")
    fake_slack.hang("chat.postMessage", times=2)
    worker, clients = worker_for(slack_app, fake_slack)
    crashed = asyncio.create_task(worker.run_once())
    await wait_until(lambda: len(fake_slack.posted()) == 2)
    crashed.cancel()  # the process dies: both messages went out, neither was marked
    await clients.close()
    assert await statuses(slack_app) == Counter(sending=2)

    clock.advance(timedelta(minutes=6))  # the claim's lease runs out
    restarted, clients = worker_for(slack_app, fake_slack)
    await drain(restarted, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=2)
    assert len(fake_slack.called("chat.postMessage")) == 2


async def test_a_retried_channel_post_is_sent_when_its_history_is_out_of_reach(
    quiet_requests, slack_app, fake_slack
):
    await quiet_requests.command(USERS["alice"], f"<@{USERS['bob']}|bob> thanks", channel="C0GENERAL")
    fake_slack.fail("chat.postMessage", 500, times=2, channel="C0GENERAL")
    fake_slack.fail("conversations.history", 200, error="missing_scope")
    worker, clients = worker_for(slack_app, fake_slack)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=2)
    assert len(fake_slack.posted("C0GENERAL")) == 1


async def test_a_batch_is_sent_in_its_recipients_languages_and_marked_sent_together(
    quiet_requests, slack_app, fake_slack
):
    await give_kudos(quiet_requests, times=3)  # 12 DMs to four people, one in Chinese
    worker, clients = worker_for(slack_app, fake_slack, batch_size=8)
    first = await worker.run_once()
    assert [o.status for o in first] == ["sent"] * 8
    assert await statuses(slack_app) == Counter(sent=8, pending=4)
    await worker.run_once()
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=12)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 13)})
    assert all("给你点赞" in m["text"] for m in fake_slack.posted("D0U0WEI"))  # wei reads Chinese
    # A person's first DM goes to their user id; Slack's answer names the DM channel for the rest
    channels = Counter(c.params["channel"][0] for c in fake_slack.called("chat.postMessage"))
    assert channels == Counter(U=4, D=8)
    assert not fake_slack.called("conversations.open")


async def test_a_batch_whose_sent_mark_is_lost_is_not_sent_again(
    quiet_requests, slack_app, fake_slack, clock, monkeypatch
):
    await give_kudos(quiet_requests, times=1)
    worker, clients = worker_for(slack_app, fake_slack)

    async def lost(session, **_):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(outbox_marks, "mark_sent_many", lost)
    try:
        await worker.run_once()
    except ConnectionError:
        pass
    monkeypatch.undo()
    assert await statuses(slack_app) == Counter(sending=4)
    clock.advance(timedelta(minutes=6))  # the lease runs out
    await worker.run_once()
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=4)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 5)})
