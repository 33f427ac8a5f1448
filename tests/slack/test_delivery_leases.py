"""Leases: a live worker keeps the messages it holds however long Slack takes, a dead one's come back
within seconds, and a worker told to stop finishes or hands back what it holds within its grace (and
the profile filler stops at once).
(tests/slack/test_serve_process.py does the same to a real `rapport serve` with kill -9 and SIGTERM.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from adapters.slack.clients import SlackClients
from adapters.slack.profiles import ProfileFiller
from adapters.slack.workspaces import SingleWorkspace
from tests.slack.conftest import BOT_TOKEN, wait_until
from tests.slack.fake_slack import TEAM_ID
from tests.slack.support import USERS
from tests.slack.test_delivery import delivered_ids, drain, give_kudos, statuses, worker_for
from tests.slack.test_delivery_outage import outbox_rows


async def sent(app, *, count: int) -> None:
    for _ in range(250):
        if (await statuses(app))["sent"] == count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not all sent: {await statuses(app)}")


def patient_clients(fake_slack) -> SlackClients:
    """Clients that wait 30 s for an answer: a hung send stays in flight for the whole test."""
    return SlackClients(base_url=fake_slack.url, timeout=30.0)


async def test_a_live_worker_keeps_its_lease_however_long_slack_takes(
    quiet_requests, slack_app, fake_slack, clock
):
    await give_kudos(quiet_requests, times=1)  # 4 DMs, to four people
    fake_slack.hang("chat.postMessage", times=4)  # Slack takes each and does not answer for a while
    clients = patient_clients(fake_slack)
    holder, _ = worker_for(slack_app, fake_slack, clients=clients, interval=0.02, heartbeat=0.02)
    stop = asyncio.Event()
    running = asyncio.create_task(holder.run(stop))
    await wait_until(lambda: len(fake_slack.posted()) == 4)

    other, other_clients = worker_for(slack_app, fake_slack)
    for _ in range(6):  # a minute, three times the lease: the holder renews it all along
        clock.advance(timedelta(seconds=10))
        assert await other.run_once() == []
        await asyncio.sleep(0.1)  # the holder's heartbeats
    fake_slack.released.set()  # Slack answers at last
    await sent(slack_app, count=4)
    stop.set()
    await asyncio.wait_for(running, 10)
    await clients.close()
    await other_clients.close()
    assert await statuses(slack_app) == Counter(sent=4)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 5)})
    assert not fake_slack.called("conversations.history")  # nobody else ever had them


async def test_a_dead_workers_messages_come_back_when_its_lease_runs_out(
    quiet_requests, slack_app, fake_slack, clock
):
    await give_kudos(quiet_requests, times=1)
    fake_slack.hang("chat.postMessage")  # Slack takes the first and never answers
    clients = patient_clients(fake_slack)
    dead, _ = worker_for(slack_app, fake_slack, clients=clients, interval=0.02, heartbeat=0.02)
    running = asyncio.create_task(dead.run(asyncio.Event()))
    await wait_until(lambda: len(fake_slack.posted()) == 4)
    await sent(slack_app, count=3)  # the other three are marked sent
    running.cancel()  # the process dies: nothing handed back
    await asyncio.gather(running, return_exceptions=True)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=3, sending=1)

    other, other_clients = worker_for(slack_app, fake_slack)
    clock.advance(timedelta(seconds=19))
    assert await other.run_once() == []  # still the dead worker's
    clock.advance(timedelta(seconds=2))  # its lease (20 s from its last heartbeat) has run out
    assert [o.status for o in await other.run_once()] == ["sent"]
    await other_clients.close()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 5)})  # found in the history
    assert fake_slack.called("conversations.history")


async def test_told_to_stop_while_slack_hangs_it_hands_back_within_its_grace(
    quiet_requests, slack_app, fake_slack
):
    await give_kudos(quiet_requests, times=2)  # 8 DMs, two to each of four people
    fake_slack.hang("chat.postMessage", times=100)
    clients = patient_clients(fake_slack)
    worker, _ = worker_for(slack_app, fake_slack, clients=clients, interval=0.02, grace=0.5)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await wait_until(lambda: len(fake_slack.posted()) == 4)  # each person's first, in flight
    loop = asyncio.get_running_loop()
    stopped = loop.time()
    stop.set()
    await asyncio.wait_for(running, 5)
    assert loop.time() - stopped < 1.5
    await clients.close()
    # The four cut off mid-send keep their attempt, so that their next sender looks for them in
    # Slack first; the four never tried are as they were. None is left leased.
    rows = await outbox_rows(slack_app)
    assert Counter((r.status, r.attempts, r.leased_by) for r in rows) == Counter(
        {("pending", 1, None): 4, ("pending", 0, None): 4}
    )

    fake_slack.script["chat.postMessage"].clear()
    restarted, clients = worker_for(slack_app, fake_slack)
    await drain(restarted, slack_app)
    await clients.close()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 9)})
    assert len(fake_slack.called("conversations.history")) == 4


async def test_told_to_stop_it_finishes_what_it_holds_when_slack_answers_in_time(
    quiet_requests, slack_app, fake_slack
):
    await give_kudos(quiet_requests, times=3)  # 12 DMs, three to each of four people
    fake_slack.slow("chat.postMessage", 0.2)
    worker, clients = worker_for(slack_app, fake_slack, interval=0.02, grace=30.0)  # ends when all are out: ~0.6 s
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await wait_until(lambda: len(fake_slack.posted()) >= 1)
    stop.set()
    await asyncio.wait_for(running, 40)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=12)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 13)})


async def test_the_profile_filler_stops_at_once_while_slack_hangs(quiet_requests, slack_app, fake_slack):
    fake_slack.add_user(TEAM_ID, "U0NADIA", name="Nadia Novak")
    await quiet_requests.command("U0NADIA", f"<@{USERS['alice']}|alice> thanks for the welcome")
    fake_slack.hang("users.info")
    clients = patient_clients(fake_slack)
    workspaces = SingleWorkspace(
        token=BOT_TOKEN, clients=clients, db=slack_app.db, clock=slack_app.clock, org_slug="acme"
    )
    filler = ProfileFiller(db=slack_app.db, clock=slack_app.clock, workspaces=workspaces)
    stop = asyncio.Event()
    running = asyncio.create_task(filler.run(stop))
    await wait_until(lambda: fake_slack.called("users.info"))
    stop.set()
    await asyncio.wait_for(running, 1)  # not the 30 s the client would wait for Slack
    await clients.close()
