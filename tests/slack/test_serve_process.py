"""`rapport serve` as a real process: it migrates nothing itself, serves, stops within seconds of SIGTERM
handing back what it did not send, and after a `kill -9` sends every accepted message once."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field

import aiohttp
from sqlalchemy import select

from adapters.app import build_app
from bot.settings import Settings
from store.db import Database
from store.models import OutboxMessage
from tests.slack.conftest import seed_slack_org
from tests.slack.support import SIGNING_SECRET, USERS, SlackRequests
from tests.slack.test_delivery import delivered_ids

EVERYONE = " ".join(f"<@{USERS[h]}|{h}>" for h in ("alice", "carol", "wei", "dan"))


@dataclass
class Serve:
    """One `rapport serve` process on port 0, its output kept (and drained, so it never blocks)."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    port: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())
    reader: asyncio.Task | None = None

    @classmethod
    async def start(cls, env: dict[str, str], cwd, *arguments: str) -> Serve:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "adapters.cli",
            "serve",
            "--port",
            "0",
            *arguments,
            env=env,
            cwd=cwd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        serve = cls(process=process)
        serve.reader = asyncio.create_task(serve._read())
        await asyncio.wait_for(asyncio.shield(serve.port), 20)
        return serve

    async def _read(self) -> None:
        while line := (await self.process.stdout.readline()).decode():
            self.lines.append(line)
            if not self.port.done() and (match := re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)):
                self.port.set_result(match.group(1))
        if not self.port.done():
            self.port.set_exception(AssertionError("rapport serve exited before listening:\n" + self.output))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port.result()}"

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def wait(self, within: float) -> int:
        code = await asyncio.wait_for(self.process.wait(), within)
        await self.reader
        return code

    async def end(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
            await self.wait(10)


def environment(database: str, fake_slack) -> dict[str, str]:
    return {
        **os.environ,
        "RAPPORT_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "RAPPORT_ORG": "acme",
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
    }


async def acme_on_slack(sqlite_template, tmp_path) -> str:
    """A migrated SQLite file holding Acme, its people known on Slack: its path."""
    database = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, database)
    url = f"sqlite+aiosqlite:///{database}"
    app = build_app(Settings(database_url=url, org="acme"), db=Database(url=url))
    await seed_slack_org(app)
    await app.close()
    return str(database)


async def outbox_of(database: str) -> list[OutboxMessage]:
    db = Database(url=f"sqlite+aiosqlite:///{database}")
    try:
        async with db.read() as session:
            return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    finally:
        await db.dispose()


async def give_kudos(serve: Serve, times: int) -> None:
    """Bob gives four people kudos `times` times over signed slash commands: 4 DMs each time."""
    async with aiohttp.ClientSession() as session:
        requests = SlackRequests(url=f"{serve.url}/slack/events", session=session)
        for number in range(times):
            response = await requests.command(USERS["bob"], f"{EVERYONE} great demo number {number}")
            assert response.status == 200


async def eventually(predicate, *, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_serve_answers_and_stops_cleanly_on_sigterm(fake_slack, sqlite_template, tmp_path):
    database = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, database)
    serve = await Serve.start(environment(str(database), fake_slack), tmp_path)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{serve.url}/healthz") as response:
                assert response.status == 200
            async with session.post(f"{serve.url}/slack/events", data="x") as response:
                assert response.status == 401  # unsigned
        assert fake_slack.called("auth.test")  # it learned its workspace at start-up
        serve.process.send_signal(signal.SIGTERM)
        assert await serve.wait(20) == 0
    finally:
        await serve.end()


async def test_sigterm_while_slack_hangs_hands_back_every_message_and_exits_within_10_s(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    env = environment(database, fake_slack)
    fake_slack.hang("chat.postMessage", times=1000)  # Slack takes each message and never answers
    serve = await Serve.start(env, tmp_path)
    try:
        await give_kudos(serve, times=3)  # 12 DMs, one conversation at a time for each of four people
        await eventually(lambda: len(fake_slack.posted()) == 4, within=20)
        loop = asyncio.get_running_loop()
        signalled = loop.time()
        serve.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.5)
        try:  # it takes no more requests at once, though it is still handing back what it holds
            async with aiohttp.ClientSession() as session, session.get(f"{serve.url}/healthz"):
                raise AssertionError("still answering after SIGTERM")
        except aiohttp.ClientConnectorError:
            pass
        assert await serve.wait(10) == 0, serve.output
        assert loop.time() - signalled < 10
    finally:
        await serve.end()
    rows = await outbox_of(database)
    # Nothing left leased: the four cut off mid-send keep their attempt (so the next sender looks for
    # them in Slack first); the eight never tried are as they were.
    assert Counter((row.status, row.attempts) for row in rows) == Counter(
        {("pending", 1): 4, ("pending", 0): 8}
    )

    fake_slack.script["chat.postMessage"].clear()  # Slack answers again
    restarted = await Serve.start(env, tmp_path)
    try:
        await eventually(lambda: len(delivered_ids(fake_slack)) == 12, within=15)  # no lease to wait out
        restarted.process.send_signal(signal.SIGTERM)
        assert await restarted.wait(10) == 0
    finally:
        await restarted.end()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 13)})
    assert {row.status for row in await outbox_of(database)} == {"sent"}


async def test_after_kill_9_mid_delivery_every_message_goes_once_within_30_s_of_the_restart(
    fake_slack, sqlite_template, tmp_path
):
    database = await acme_on_slack(sqlite_template, tmp_path)
    env = environment(database, fake_slack)
    fake_slack.slow("chat.postMessage", 0.05)  # so that the kill finds sends in flight
    first = await Serve.start(env, tmp_path)
    try:
        await give_kudos(first, times=30)  # 120 DMs
        await eventually(lambda: len(fake_slack.posted()) >= 40, within=30)
        first.process.kill()  # SIGKILL: no clean-up at all
        assert await first.wait(10) == -signal.SIGKILL
    finally:
        await first.end()
    assert len(fake_slack.posted()) < 120

    loop = asyncio.get_running_loop()
    restarted_at = loop.time()
    second = await Serve.start(env, tmp_path)
    try:
        await eventually(
            lambda: len(delivered_ids(fake_slack)) == 120, within=30 - (loop.time() - restarted_at)
        )
        second.process.send_signal(signal.SIGTERM)
        assert await second.wait(10) == 0
    finally:
        await second.end()
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 121)})
    assert {row.status for row in await outbox_of(database)} == {"sent"}
