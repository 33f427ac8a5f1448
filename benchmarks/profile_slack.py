"""Where a Slack acknowledgement's CPU goes, through the server: signed `/kudos` and Events API DMs.

    python -m benchmarks.profile_slack [--requests 300] [--postgres URL] [--sort tottime] [--top 40]

Serves `rapport serve`'s application in this process (delivery off, as in `benchmarks.bench_slack`),
posts signed requests to it one at a time, and prints the process's CPU per request (client included,
which the profile shows apart) and a cProfile of the requests.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

import aiohttp
from aiohttp import web

from benchmarks.bench_slack import TEXT, rapport_server
from benchmarks.stats import profiled
from tests.slack.support import USERS, dm_event, event_callback, signature_headers, slash_command

ROUNDS = 5


def _kudos() -> tuple[str, str]:
    return slash_command(user=USERS["bob"], text=TEXT, channel="D0BOB"), "application/x-www-form-urlencoded"


def _dm() -> tuple[str, str]:
    body = event_callback(dm_event(user=USERS["bob"], text="help"), event_id=f"Ev{uuid.uuid4().hex}")
    return body, "application/json"


async def _post(http: aiohttp.ClientSession, url: str, made: tuple[str, str]) -> None:
    body, content_type = made
    headers = {"Content-Type": content_type, **signature_headers(body)}
    async with http.post(url, data=body.encode(), headers=headers) as answer:
        assert answer.status == 200, (answer.status, await answer.text())
        await answer.read()


async def _cpu(http: aiohttp.ClientSession, url: str, make, requests: int) -> str:
    """`requests` requests one after another: the process's CPU per request, in ms."""
    cpu = time.process_time()
    for _ in range(requests):
        await _post(http, url, make())
    await asyncio.sleep(0.2)  # work an Events API ack leaves behind
    return f"{(time.process_time() - cpu) / requests * 1000:.2f}"


async def profile(*, requests: int, postgres: str | None, sort: str, top: int, only: str, save: str) -> None:
    runner = web.AppRunner(await rapport_server(postgres), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host="127.0.0.1", port=0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    try:
        async with aiohttp.ClientSession() as http:
            for kind, make in (("kudos", _kudos), ("dm", _dm)):
                for _ in range(20):  # warm: caches, the first statements' plans
                    await _post(http, url, make())
                await asyncio.sleep(0.5)
                rounds = [await _cpu(http, url, make, requests) for _ in range(ROUNDS)]
                print(f"\n{kind}: CPU per request, unprofiled (client included), ms:", *rounds)
                await profiled(
                    _cpu(http, url, make, requests),
                    sort=sort,
                    only=only,
                    top=top,
                    save=save and f"{save}.{kind}.prof",
                )
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", default="", help="a pattern the listed functions' files match")
    parser.add_argument("--save", default="", help="also write PREFIX.kudos.prof and PREFIX.dm.prof")
    args = parser.parse_args()
    asyncio.run(
        profile(
            requests=args.requests,
            postgres=args.postgres,
            sort=args.sort,
            top=args.top,
            only=args.only,
            save=args.save,
        )
    )


if __name__ == "__main__":
    main()
