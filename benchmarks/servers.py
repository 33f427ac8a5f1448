"""What the benchmarks of a platform's request path share: a server per process, a load driver, and
rounds that alternate between the anchor and Rapport (see `compare`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp

CONCURRENCY = (1, 8, 64)
ROUNDS = 3

Send = Callable[[aiohttp.ClientSession, int], Awaitable[bool]]  # one request; whether it was answered well
# After a round of Rapport's: waits for the work the answers left behind (delivery) to be done and says
# how it went ({"settle": seconds, "errors": messages not delivered}), so the next round starts on an
# idle machine and work left undone is counted.
Settle = Callable[[str, int], Awaitable[dict]]


def cpu_seconds(pid: int) -> tuple[float, float]:
    """The CPU time (user and system, seconds) process `pid` has used, and that its live child
    processes (a server's workers) have used, from /proc; (0, 0) where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            own = _ticks(stat.read())
        children: list[str] = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as listed:
                children += listed.read().split()
        theirs = 0
        for child in children:
            with open(f"/proc/{child}/stat") as stat:
                theirs += _ticks(stat.read())
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return own / tick, theirs / tick


def _ticks(stat: str) -> int:
    fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
    return int(fields[11]) + int(fields[12])  # utime, stime


async def create_schema(url: str, schema: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()


async def run_forever(app, port_out) -> None:
    """Serve `app` on 127.0.0.1 (port 0) and say the port on `port_out`, for `start`."""
    from aiohttp import web

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    print(f"PORT {runner.addresses[0][1]}", file=port_out, flush=True)
    await asyncio.Event().wait()


async def drive(send: Send, *, concurrency: int, requests: int) -> dict:
    """`requests` calls of `send` with `concurrency` in flight; throughput, p50 and p99 latency, errors."""
    latencies: list[float] = []
    errors = 0
    remaining = iter(range(requests))

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for n in remaining:
            started = time.perf_counter()
            if not await send(session, n):
                errors += 1
            latencies.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": errors,
    }


async def start(
    module: str, kind: str, database_url: str | None, *, path: str
) -> tuple[asyncio.subprocess.Process, str]:
    """`python -m <module> --serve <kind>` in a process of its own; it and the URL of `path` on it."""
    args = [sys.executable, "-m", module, "--serve", kind]
    if database_url:
        args += ["--postgres", database_url]
    process = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE)
    while line := (await process.stdout.readline()).decode():
        if match := re.match(r"PORT (\d+)", line):
            return process, f"http://127.0.0.1:{match.group(1)}{path}"
    raise RuntimeError(f"{kind} server did not start")


async def compare(
    *,
    module: str,
    path: str,
    anchor: str,
    postgres: str | None,
    sender: Callable[[str], Send],
    requests: int,
    rounds: int = ROUNDS,
    unit: str = "req/s",
    settle: Settle | None = None,
) -> None:
    """Every server started at once; at each concurrency, `rounds` rounds of the anchor then each
    Rapport. A row's throughput and p50 are the median of its rounds, its p99 the worst, its ratio the
    median of the rounds' ratios: the machine's speed drifts between phases a few seconds apart, and a
    ratio of two phases measured back to back is steadier than one of phases a minute apart.
    With `settle`, each round of Rapport's is followed by its wait (not counted in the throughput; its
    worst is printed in the `settle s` column).
    `cpu ms` is the CPU the server's own process used per request while the round's requests were
    sent (median of the rounds; from /proc, at the clock tick's resolution, 10 ms a round); with
    `settle`, `wk cpu` is what its child processes (workers) used per request from the round's start
    to the end of its wait."""
    targets = [(anchor, "anchor", None), ("rapport (SQLite)", "rapport", None)]
    if postgres:
        targets.append(("rapport (PostgreSQL)", "rapport", postgres))
    started = [await start(module, kind, url, path=path) for _, kind, url in targets]
    width = max(34, *(len(label) for label, _, _ in targets))
    print(
        f"{'server':{width}} {'conc':>4} {unit:>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'x anchor':>8}"
        + f" {'cpu ms':>6}"
        + (f" {'settle s':>8} {'wk cpu':>6}" if settle else ""),
        flush=True,
    )

    async def one_round(index: int, server: tuple, *, concurrency: int, requests: int) -> dict:
        (process, endpoint), before = server, cpu_seconds(server[0].pid)
        result = await drive(sender(endpoint), concurrency=concurrency, requests=requests)
        during = cpu_seconds(process.pid)
        if settle and index:  # the anchor (index 0) leaves nothing behind
            settled = await settle(endpoint, requests)
            result["errors"] += settled["errors"]
            result["settle"] = settled["settle"]
        after = cpu_seconds(process.pid)
        result["cpu"] = (during[0] - before[0]) / requests * 1000
        result["workers_cpu"] = (after[1] - before[1]) / requests * 1000
        return result

    try:
        for index, server in enumerate(started):
            await one_round(index, server, concurrency=8, requests=200)  # warm-up
        for concurrency in CONCURRENCY:
            results: list[list[dict]] = [[] for _ in targets]
            for _ in range(rounds):
                for index, (mine, server) in enumerate(zip(results, started, strict=True)):
                    mine.append(await one_round(index, server, concurrency=concurrency, requests=requests))
            for (label, _, _), mine in zip(targets, results, strict=True):
                ratios = [r["rps"] / a["rps"] for r, a in zip(mine, results[0], strict=True)]
                cpu = f" {statistics.median(r['cpu'] for r in mine):>6.2f}"
                waited = (
                    f" {max(r.get('settle', 0.0) for r in mine):>8.1f}"
                    f" {statistics.median(r['workers_cpu'] for r in mine):>6.2f}"
                    if settle
                    else ""
                )
                print(
                    f"{label:{width}} {concurrency:>4} {statistics.median(r['rps'] for r in mine):>8.0f} "
                    f"{statistics.median(r['p50'] for r in mine):>8.1f} {max(r['p99'] for r in mine):>8.1f} "
                    f"{sum(r['errors'] for r in mine):>6} {statistics.median(ratios):>8.2f}{cpu}{waited}"
                    + ("" if mine is results[0] else f"   rounds: {' '.join(f'{x:.2f}' for x in ratios)}"),
                    flush=True,
                )
    finally:
        for process, _ in started:
            process.terminate()
            await process.wait()


def main(
    *,
    description: str,
    serve_anchor: Callable[..., Awaitable[None]],
    serve_rapport: Callable[..., Awaitable[None]],
    bench: Callable[..., Awaitable[None]],
    serve_more: dict[str, Callable[..., Awaitable[None]]] | None = None,
) -> None:
    """A benchmark module's command line: the driver, or (`--serve`) one of its servers (`serve_more`:
    others by name, each given where to say its port, such as a fake platform)."""
    serve_more = serve_more or {}
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=2000, help="a server's requests in one round")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--postgres", help="also run Rapport on this PostgreSQL URL (a schema of its own)")
    parser.add_argument("--serve", choices=("anchor", "rapport", *serve_more), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve in serve_more:
        asyncio.run(serve_more[args.serve](sys.stdout))
    elif args.serve == "anchor":
        asyncio.run(serve_anchor(sys.stdout))
    elif args.serve == "rapport":
        asyncio.run(serve_rapport(sys.stdout, args.postgres))
    else:
        asyncio.run(bench(requests=args.requests, postgres=args.postgres, rounds=args.rounds))
