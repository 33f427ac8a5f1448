"""Where a Feishu event's CPU goes, through the server: `/kudos` messages, as `benchmarks.bench_feishu`
sends them.

    python -m benchmarks.profile_feishu [--requests 300] [--concurrency 1] [--postgres URL]
                                        [--sort tottime] [--top 40] [--only PATTERN] [--save PREFIX]

Serves `rapport serve`'s application in this process with Feishu configured and no delivery (no worker
process: the answer path alone), with a fake Feishu in this process too (it answers the start-up's
token and bot info and the first profile of each person; no cards are sent). Posts events `concurrency`
at a time and prints the process's CPU per event (the client's and the fake's included, which the
profile shows apart), then a cProfile of one more round.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import aiohttp
from aiohttp import web

from benchmarks.bench_feishu import HANDLES, rapport_server
from benchmarks.stats import profiled
from tests.feishu.conftest import message_event
from tests.feishu.fake_feishu import FakeFeishu

ROUNDS = 5


def _event(n: int) -> bytes:
    giver, receiver = HANDLES[n % len(HANDLES)], HANDLES[(n + 1) % len(HANDLES)]
    return json.dumps(
        message_event(giver, f"/kudos @{receiver} shipped the migration {n} #ownership")
    ).encode()


async def _post(http: aiohttp.ClientSession, url: str, n: int) -> None:
    async with http.post(url, data=_event(n), headers={"Content-Type": "application/json"}) as answer:
        assert answer.status == 200, (answer.status, await answer.text())
        await answer.read()


async def _round(http: aiohttp.ClientSession, url: str, *, requests: int, concurrency: int) -> None:
    numbers = iter(range(requests))

    async def client() -> None:
        for n in numbers:
            await _post(http, url, n)

    await asyncio.gather(*(client() for _ in range(concurrency)))


async def _cpu(http: aiohttp.ClientSession, url: str, *, requests: int, concurrency: int) -> str:
    """One round: the process's CPU per event, in ms."""
    cpu = time.process_time()
    await _round(http, url, requests=requests, concurrency=concurrency)
    return f"{(time.process_time() - cpu) / requests * 1000:.2f}"


async def profile(
    *, requests: int, concurrency: int, postgres: str | None, sort: str, top: int, only: str, save: str
) -> None:
    fake = FakeFeishu()
    await fake.start()
    runner = web.AppRunner(await rapport_server(postgres, feishu_url=fake.url, workers=0), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/feishu/events"
    try:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as http:
            await _round(http, url, requests=60, concurrency=concurrency)  # warm: caches, profiles learnt
            await asyncio.sleep(0.5)
            rounds = [
                await _cpu(http, url, requests=requests, concurrency=concurrency) for _ in range(ROUNDS)
            ]
            print(f"\nc{concurrency}: CPU per event, unprofiled (client and fake included), ms:", *rounds)
            await profiled(
                _round(http, url, requests=requests, concurrency=concurrency),
                sort=sort,
                only=only,
                top=top,
                save=save and f"{save}.c{concurrency}.prof",
            )
    finally:
        await runner.cleanup()
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", default="", help="a pattern the listed functions' files match")
    parser.add_argument("--save", default="", help="also write PREFIX.c<concurrency>.prof")
    asyncio.run(profile(**vars(parser.parse_args())))


if __name__ == "__main__":
    main()
