"""`rapport serve` as a real process: it migrates nothing itself, serves, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys

import aiohttp

from tests.slack.support import SIGNING_SECRET


async def test_serve_answers_and_stops_cleanly_on_sigterm(fake_slack, sqlite_template, tmp_path):
    database = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, database)
    env = {
        **os.environ,
        "RAPPORT_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "RAPPORT_ORG": "acme",
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "adapters.cli",
        "serve",
        "--port",
        "0",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        port = await asyncio.wait_for(_listening_port(process), 20)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 200
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data="x") as response:
                assert response.status == 401  # unsigned
        assert fake_slack.called("auth.test")  # it learned its workspace at start-up
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _listening_port(process) -> str:
    while line := (await process.stdout.readline()).decode():
        if match := re.search(r"listening on http://127\.0\.0\.1:(\d+)", line):
            return match.group(1)
    raise AssertionError("rapport serve exited before listening")
