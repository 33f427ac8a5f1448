"""`rapport serve --workers N` as real processes: the server answers, its worker processes deliver; a
worker killed mid-delivery is replaced and every message goes once; a killed server's workers stop by
themselves; SIGTERM stops them all within 10 seconds, handing back what was not sent."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from pathlib import Path

import aiohttp

from adapters.workers import DELIVERY, WorkerHost
from tests.slack.test_delivery import delivered_ids
from tests.slack.test_serve_process import (
    Serve,
    acme_on_slack,
    environment,
    eventually,
    give_kudos,
    outbox_of,
)


async def start(env: dict[str, str], cwd, *arguments: str) -> Serve:
    """`rapport serve` with due work every second, and `arguments` (its workers)."""
    return await Serve.start(env, cwd, "--tick", "1", *arguments)


def workers_of(pid: int) -> list[int]:
    """The worker processes below `pid` (multiprocessing's resource tracker is not one)."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
            command = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in command:
                found.append(int(child))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def ready(serve: Serve) -> dict:
    async with aiohttp.ClientSession() as session, session.get(f"{serve.url}/readyz") as response:
        return await response.json()


async def delivered_on_metrics(serve: Serve) -> float:
    """Slack messages the server's /metrics says were sent."""
    async with aiohttp.ClientSession() as session, session.get(f"{serve.url}/metrics") as response:
        text = await response.text()
    found = re.search(r'^rapport_deliveries_total\{outcome="sent",platform="slack"\} (\S+)$', text, re.M)
    return float(found[1]) if found else 0.0


async def test_workers_deliver_while_the_server_answers_and_all_stop_on_sigterm(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    serve = await start(environment(database, fake_slack), tmp_path, "--workers", "2")
    try:
        await eventually(lambda: len(workers_of(serve.process.pid)) == 2, within=20)
        workers = workers_of(serve.process.pid)
        assert (await ready(serve))["checks"]["workers"] is True
        await give_kudos(serve, times=10)  # 40 DMs
        await eventually(lambda: len(delivered_ids(fake_slack)) == 40, within=20)
        # The workers' deliveries are counted where an operator looks: the server's /metrics.
        for _ in range(50):
            if await delivered_on_metrics(serve) == 40:
                break
            await asyncio.sleep(0.1)
        assert await delivered_on_metrics(serve) == 40
        serve.process.send_signal(signal.SIGTERM)
        assert await serve.wait(10) == 0, serve.output
    finally:
        await serve.end()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 41)})
    assert {row.status for row in await outbox_of(database)} == {"sent"}
    await eventually(lambda: not any(alive(pid) for pid in workers), within=2)


async def test_a_worker_killed_mid_delivery_is_replaced_and_every_message_goes_once(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    fake_slack.slow("chat.postMessage", 0.05)  # so that the kill finds sends in flight
    serve = await start(environment(database, fake_slack), tmp_path, "--workers", "1")
    try:
        await eventually(lambda: len(workers_of(serve.process.pid)) == 1, within=20)
        [first] = workers_of(serve.process.pid)
        await give_kudos(serve, times=30)  # 120 DMs
        await eventually(lambda: len(fake_slack.posted()) >= 20, within=30)
        os.kill(first, signal.SIGKILL)
        killed_at = asyncio.get_running_loop().time()
        await eventually(lambda: workers_of(serve.process.pid) not in ([], [first]), within=10)
        await eventually(
            lambda: len(delivered_ids(fake_slack)) == 120,
            within=30 - (asyncio.get_running_loop().time() - killed_at),
        )
        assert "ended (exit code -9): starting another" in serve.output
        serve.process.send_signal(signal.SIGTERM)
        assert await serve.wait(10) == 0, serve.output
    finally:
        await serve.end()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 121)})
    assert {row.status for row in await outbox_of(database)} == {"sent"}


async def test_the_workers_of_a_killed_server_stop_and_the_next_server_sends_the_rest_once(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    env = environment(database, fake_slack)
    fake_slack.slow("chat.postMessage", 0.05)
    first = await start(env, tmp_path, "--workers", "1")
    try:
        await eventually(lambda: len(workers_of(first.process.pid)) == 1, within=20)
        [worker] = workers_of(first.process.pid)
        await give_kudos(first, times=30)  # 120 DMs
        await eventually(lambda: len(fake_slack.posted()) >= 20, within=30)
        first.process.kill()
        assert await first.wait(10) == -signal.SIGKILL
    finally:
        await first.end()
    await eventually(lambda: not alive(worker), within=10)  # no orphan left delivering

    second = await start(env, tmp_path, "--workers", "1")
    try:
        await eventually(lambda: len(delivered_ids(fake_slack)) == 120, within=30)
        second.process.send_signal(signal.SIGTERM)
        assert await second.wait(10) == 0, second.output
    finally:
        await second.end()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 121)})


async def test_sigterm_while_slack_hangs_the_workers_hand_back_what_they_hold_within_10_s(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    fake_slack.hang("chat.postMessage", times=1000)
    serve = await start(environment(database, fake_slack), tmp_path, "--workers", "1")
    try:
        await give_kudos(serve, times=3)  # 12 DMs, four conversations
        await eventually(lambda: len(fake_slack.posted()) == 4, within=20)
        signalled = asyncio.get_running_loop().time()
        serve.process.send_signal(signal.SIGTERM)
        assert await serve.wait(10) == 0, serve.output
        assert asyncio.get_running_loop().time() - signalled < 10
    finally:
        await serve.end()
    rows = await outbox_of(database)
    assert Counter((row.status, row.attempts) for row in rows) == Counter(
        {("pending", 1): 4, ("pending", 0): 8}
    )


async def test_a_negative_number_of_workers_is_refused_politely(fake_slack, sqlite_template, tmp_path):
    database = await acme_on_slack(sqlite_template, tmp_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "serve",
        "--workers",
        "-1",
        env=environment(database, fake_slack),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "--workers is a number of processes, 0 or more, not -1." in err.decode()
    assert "Traceback" not in err.decode()


def test_a_worker_takes_each_platforms_delivery_and_leaves_requests_to_the_server():
    host = WorkerHost()

    async def work(stop):
        return None

    async def hook():
        return None

    host.route("POST", "/slack/events", work)
    host.on_start(hook)  # Socket Mode, streams: the server's
    host.background(f"slack{DELIVERY}", work)
    host.background("dingtalk-stream", work)
    host.on_stopping(hook)
    assert host.work == [("slack-delivery", work)]
    assert host.stopping == [hook]
