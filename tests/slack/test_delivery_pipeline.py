"""The delivery worker as `rapport serve` runs it: the next batch is claimed while the last is in flight."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from adapters.delivery import DeliveryWorker
from tests.slack.conftest import wait_until
from tests.slack.test_delivery import delivered_ids, drain, give_kudos, statuses, worker_for


async def run_until_sent(worker: DeliveryWorker, app, *, count: int) -> None:
    """Run the worker until `count` messages are marked sent, then stop it as the server does."""
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(500):
            if (await statuses(app))["sent"] >= count or running.done():
                break
            await asyncio.sleep(0.02)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=10)


async def wait_until_marked(app, running: asyncio.Task, *, sent: int, within: float) -> None:
    """Wait until `sent` messages are marked sent, or the worker's task ends."""
    deadline = asyncio.get_running_loop().time() + within
    while (await statuses(app))["sent"] < sent and not running.done():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for delivery: {await statuses(app)}")
        await asyncio.sleep(0.02)


async def four_dms_behind_a_hung_send(requests, app, fake_slack, *, batch_size: int):
    """A worker running as serve runs it, holding four DMs, the first of which Slack took and never
    answers (the client gives up after 1 s in tests): its clients, stop event and task."""
    await give_kudos(requests, times=1)  # 4 DMs
    fake_slack.hang("chat.postMessage")
    worker, clients = worker_for(app, fake_slack, batch_size=batch_size, concurrency=1, interval=0.02)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    await wait_until(lambda: len(fake_slack.posted()) == 1)
    return clients, stop, running


async def test_many_messages_in_flight_each_go_once_through_a_429_storm(
    quiet_requests, slack_app, fake_slack
):
    await give_kudos(quiet_requests, times=5)  # 20 DMs, five to each of four people
    fake_slack.fail("chat.postMessage", 429, times=40, retry_after=0)
    worker, clients = worker_for(slack_app, fake_slack, batch_size=3, concurrency=8, interval=0.02)
    await run_until_sent(worker, slack_app, count=20)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=20)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 21)})
    assert len(fake_slack.called("chat.postMessage")) == 60  # 40 refused, 20 accepted


async def test_a_persons_messages_arrive_in_order_across_batches_in_flight(
    quiet_requests, slack_app, fake_slack
):
    await give_kudos(quiet_requests, times=4)  # outbox ids 1-16; alice's are 1, 5, 9, 13
    fake_slack.fail("chat.postMessage", 429, times=6, retry_after=0)
    worker, clients = worker_for(slack_app, fake_slack, batch_size=2, concurrency=8, interval=0.02)
    await run_until_sent(worker, slack_app, count=16)
    await clients.close()
    by_channel = Counter()
    for channel, messages in fake_slack.messages.items():
        ids = [m["metadata"]["event_payload"]["outbox_id"] for m in messages]
        assert ids == sorted(ids), (channel, ids)
        by_channel[channel] = len(ids)
    assert sorted(by_channel.values()) == [4, 4, 4, 4]


async def test_a_crash_mid_pipeline_sends_nothing_twice(quiet_requests, slack_app, fake_slack, clock):
    await give_kudos(quiet_requests, times=5)  # 20 DMs
    # Slack takes this one and never answers. One, not more: a hung DM holds back its person's later
    # ones (a conversation goes in order), and the other three people's 15 must get through before
    # the client's own timeout (1 s in tests) would turn the hang into a retry.
    fake_slack.hang("chat.postMessage", times=1)
    worker, clients = worker_for(slack_app, fake_slack, batch_size=3, concurrency=4, interval=0.02)
    crashed = asyncio.create_task(worker.run(asyncio.Event()))
    await wait_until(lambda: len(fake_slack.posted()) >= 12)
    crashed.cancel()  # the process dies with batches in hand: some sent and marked, some not
    await asyncio.gather(crashed, return_exceptions=True)
    await clients.close()
    assert (await statuses(slack_app))["sending"] >= 1  # at least the one Slack took is unmarked

    clock.advance(timedelta(minutes=6))  # the claims' leases run out
    restarted, clients = worker_for(slack_app, fake_slack, batch_size=3, concurrency=4, interval=0.02)
    await run_until_sent(restarted, slack_app, count=20)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=20)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 21)})
    assert fake_slack.called("conversations.history")  # the unmarked ones were looked for first


async def test_a_message_that_waited_past_its_lease_is_left_to_the_worker_that_claimed_it(
    quiet_requests, slack_app, fake_slack, clock
):
    """Another process claims what this worker still holds (its leases ran out behind a hung send):
    each message still goes once."""
    slow_clients, stop, running = await four_dms_behind_a_hung_send(
        quiet_requests, slack_app, fake_slack, batch_size=2
    )
    assert (await statuses(slack_app))["sending"] == 4  # all four in the slow worker's hands

    clock.advance(timedelta(minutes=6))  # their leases run out
    other, other_clients = worker_for(slack_app, fake_slack)
    await other.run_once()  # finds the first in the DM's history, sends the other three
    await asyncio.sleep(1.5)  # the slow worker's send times out; it goes on to what it holds
    stop.set()
    await running
    await drain(other, slack_app)
    await slow_clients.close()
    await other_clients.close()
    assert await statuses(slack_app) == Counter(sent=4)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 5)})


async def test_rows_this_worker_still_holds_when_it_claims_them_again_keep_their_place(
    quiet_requests, slack_app, fake_slack, clock
):
    """A hung send holds up the rows behind it past their lease; the same worker's next claim takes
    them again. It keeps delivering, and each message still goes once."""
    clients, stop, running = await four_dms_behind_a_hung_send(
        quiet_requests, slack_app, fake_slack, batch_size=4
    )
    clock.advance(timedelta(minutes=6))  # the leases of all four run out while the first hangs
    # Marked, not just posted: the hung one comes back once its send times out, after the other
    # three, and is found in the DM's history; stopping before that would hand it back unsent.
    await wait_until_marked(slack_app, running, sent=4, within=5)
    assert not running.done(), running.exception()
    stop.set()
    await running
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=4)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 5)})
