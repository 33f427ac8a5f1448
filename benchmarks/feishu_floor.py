"""How fast can any Python server on aiohttp answer Feishu's events here? The floor under issue 19's target.

    python -m benchmarks.feishu_floor [--requests 2000] [--rounds 5]

Three servers, each in a process of its own, take the same `im.message.receive_v1` events from the
same driver as `bench_feishu` (concurrency 64), in rounds that alternate between them:
- the anchor of `bench_feishu` (lark-oapi's dispatcher checks the token, parses the event, and its
  processor inserts one row into SQLite and commits);
- `empty`: aiohttp reads the body and answers `{}`: no parsing, no check, no database. Nothing that
  answers Feishu over HTTP in Python can do less;
- `check`: `empty` plus what answering honestly needs at least: parse the JSON, compare the
  verification token, note the event id.
It prints events/s, the server's CPU per event and the driver's, and each one's ratio to the anchor.
Issue 19 asks Rapport for 1.5x the anchor; if `empty` itself is below that, no server doing a kudos'
work can reach it on this machine, whatever it does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys

from benchmarks.bench_feishu import sender, serve_anchor
from benchmarks.servers import cpu_seconds, drive, run_forever, start
from tests.feishu.conftest import TOKEN

CONCURRENCY = 64


async def _serve(events, port_out) -> None:
    from aiohttp import web

    app = web.Application()
    app.router.add_post("/feishu/events", events)
    await run_forever(app, port_out)


async def serve_empty(port_out) -> None:
    from aiohttp import web

    async def events(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=b"{}", content_type="application/json")

    await _serve(events, port_out)


async def serve_check(port_out) -> None:
    from aiohttp import web

    seen: set[str] = set()

    async def events(request: web.Request) -> web.Response:
        body = json.loads(await request.read())
        if body.get("header", {}).get("token") != TOKEN:
            return web.Response(status=401)
        seen.add(body["header"]["event_id"])
        return web.Response(body=b"{}", content_type="application/json")

    await _serve(events, port_out)


SERVERS = {"anchor": serve_anchor, "empty": serve_empty, "check": serve_check}


def _driver_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def bench(*, requests: int, rounds: int) -> None:
    started = {
        name: await start("benchmarks.feishu_floor", name, None, path="/feishu/events") for name in SERVERS
    }
    results: dict[str, list[dict]] = {name: [] for name in SERVERS}
    try:
        for _, endpoint in started.values():
            await drive(sender(endpoint), concurrency=8, requests=200)  # warm-up
        for _ in range(rounds):
            for name, (process, endpoint) in started.items():
                before, driver = cpu_seconds(process.pid)[0], _driver_cpu()
                result = await drive(sender(endpoint), concurrency=CONCURRENCY, requests=requests)
                result["cpu"] = (cpu_seconds(process.pid)[0] - before) / requests * 1000
                result["driver"] = (_driver_cpu() - driver) / requests * 1000
                results[name].append(result)
    finally:
        for process, _ in started.values():
            process.terminate()
            await process.wait()
    print(f"{'server':8} {'ev/s':>7} {'p99 ms':>7} {'cpu ms':>7} {'driver ms':>9} {'x anchor':>8}  rounds")
    for name, mine in results.items():
        ratios = [r["rps"] / a["rps"] for r, a in zip(mine, results["anchor"], strict=True)]
        print(
            f"{name:8} {statistics.median(r['rps'] for r in mine):>7.0f} {max(r['p99'] for r in mine):>7.1f}"
            f" {statistics.median(r['cpu'] for r in mine):>7.3f} {statistics.median(r['driver'] for r in mine):>9.3f}"
            f" {statistics.median(ratios):>8.2f}  {' '.join(f'{x:.2f}' for x in ratios)}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve", choices=sorted(SERVERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(SERVERS[args.serve](sys.stdout))
        return
    asyncio.run(bench(requests=args.requests, rounds=args.rounds))


if __name__ == "__main__":
    main()
