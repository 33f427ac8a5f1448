"""`rapport serve` as an operator runs it: its log (plain or JSON, nothing routine every few seconds)
and the warning of Teams' local mode."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import shutil
import signal
import sys

import aiohttp
import pytest

from adapters.cli import main
from adapters.logs import configure_logging
from adapters.teams.entry import is_loopback, teams_local_warnings

TEXT_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


async def run_serve(tmp_path, sqlite_template, *, env: dict[str, str], seconds: float, args=()) -> list[str]:
    """Start `rapport serve` on a migrated copy of the database, call it `seconds` after it listens
    (`/api/messages` when Teams is on), stop it with SIGTERM; what it printed, line by line."""
    database = tmp_path / "rapport.db"
    shutil.copy(sqlite_template, database)
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "RAPPORT_"))
    }
    environment.update({"RAPPORT_DATABASE_URL": f"sqlite+aiosqlite:///{database}", **env})
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "adapters.cli", "serve", "--port", "0", *args),
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    lines: list[str] = []
    try:
        while line := (await asyncio.wait_for(process.stdout.readline(), 20)).decode():
            lines.append(line.rstrip("\n"))
            if found := re.search(r"listening on (http://\S+)", line):
                await asyncio.sleep(seconds)
                async with aiohttp.ClientSession() as session:
                    async with session.post(f"{found[1]}/api/messages", json={}) as response:
                        lines.append(f"POST /api/messages: {response.status}")
                process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 20) == 0, lines
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return lines


async def test_json_logs_and_no_line_for_each_tick(tmp_path, sqlite_template):
    lines = await run_serve(
        tmp_path, sqlite_template, env={"RAPPORT_LOG_FORMAT": "json"}, seconds=1.5, args=("--tick", "0.2")
    )
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(
        r["logger"] == "apscheduler.scheduler" and r["message"] == "Scheduler started" for r in records
    )
    assert not [line for line in lines if TEXT_LOG_LINE.match(line)]  # every log line is JSON
    assert not [r for r in records if "Running job" in r["message"] or "executed" in r["message"]], records


async def test_teams_local_mode_warns_and_listens_on_loopback_only(tmp_path, sqlite_template):
    lines = await run_serve(tmp_path, sqlite_template, env={"RAPPORT_TEAMS_LOCAL": "1"}, seconds=0)
    assert any(
        line.startswith("Warning: RAPPORT_TEAMS_LOCAL=1: /api/messages checks no token") for line in lines
    )
    assert any("listening on http://127.0.0.1:" for line in lines)
    assert "POST /api/messages: 400" in lines  # served, and an activity without a type refused
    assert not any("reachable from other machines" in line for line in lines)


def test_teams_local_mode_on_an_address_others_reach_says_so():
    assert len(teams_local_warnings("127.0.0.1")) == 1
    [_, louder] = teams_local_warnings("0.0.0.0")
    assert "--host 0.0.0.0 makes that endpoint reachable from other machines" in louder
    assert [is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost")] == [True] * 5
    assert [is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.7", "rapport.example.com")] == [False] * 4


@pytest.fixture
def restored_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_a_json_record_carries_its_traceback(restored_logging):
    stream = io.StringIO()
    configure_logging(log_format="json", stream=stream)
    try:
        raise ValueError("the database said no")
    except ValueError:
        logging.getLogger("rapport.test").exception("delivery batch failed; trying again")
    record = json.loads(stream.getvalue())
    assert (record["level"], record["logger"]) == ("ERROR", "rapport.test")
    assert record["message"] == "delivery batch failed; trying again"
    assert "ValueError: the database said no" in record["exception"]


def test_an_unknown_log_format_is_refused(demo_cli, monkeypatch, capsys):
    monkeypatch.setenv("RAPPORT_LOG_FORMAT", "xml")
    assert main(["serve", "--port", "0"]) == 2
    assert "RAPPORT_LOG_FORMAT is text or json, not 'xml'" in capsys.readouterr().err
