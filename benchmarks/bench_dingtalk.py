"""DingTalk's stream: time from a message pushed to its ack, at 50 messages a second, Rapport against
the SDK's own client (the anchor).

The anchor is dingtalk-stream as its samples use it: `DingTalkStreamClient.start()` with a callback
handler that acks at once and does nothing. Rapport does its whole job before it acks: the
corporation's organisation, the mentioned person's name, de-duplication, the kudos with its outbox
row in one transaction (SQLite), and the reply through the sessionWebhook. Both connect to the same
fake DingTalk on 127.0.0.1, which pushes a robot message every 20 ms and times each ack. Rounds
alternate between the two; the target is a p99 under 300 ms.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from benchmarks.stats import percentile
from tests.dingtalk.fake import CLIENT_ID, CLIENT_SECRET, FakeDingTalk

RATE = 50  # messages a second
MESSAGES = 300  # a round: six seconds
ROUNDS = 3
TOPIC = "/v1.0/im/bot/messages/get"


async def _push_at_rate(fake: FakeDingTalk, *, text: str) -> list[float]:
    """MESSAGES robot messages, one every 1/RATE s, without waiting for acks; each ack's delay in ms."""
    fake.ack_seconds.clear()
    loop = asyncio.get_running_loop()
    start = loop.time()
    for n in range(MESSAGES):
        await asyncio.sleep(max(0.0, start + n / RATE - loop.time()))
        await fake.push(TOPIC, fake.robot_message("bob", text.format(n=n), at=("alice",)), wait=False)
    for _ in range(200):
        if len(fake.ack_seconds) >= MESSAGES:
            break
        await asyncio.sleep(0.05)
    assert len(fake.ack_seconds) >= MESSAGES, f"only {len(fake.ack_seconds)} of {MESSAGES} acked"
    return [s * 1000 for s in fake.ack_seconds]


async def _anchor(fake: FakeDingTalk) -> list[float]:
    import aiohttp
    import dingtalk_stream

    class Handler(dingtalk_stream.CallbackHandler):
        async def process(self, message):
            return dingtalk_stream.AckMessage.STATUS_OK, "OK"

    body = {"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET, "subscriptions": [{"type": "CALLBACK", "topic": TOPIC}]}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{fake.url}/v1.0/gateway/connections/open", json=body) as response:
            connection = await response.json()

    class Client(dingtalk_stream.DingTalkStreamClient):
        # The SDK opens its connection with a blocking HTTP call, which would stop the fake's loop
        # (the same loop here): its answer is fetched above. Every message goes the SDK's own way.
        def open_connection(self):
            return connection

    client = Client(dingtalk_stream.Credential(CLIENT_ID, CLIENT_SECRET))
    client.register_callback_handler(TOPIC, Handler())
    task = asyncio.create_task(client.start())
    try:
        await fake.connected()
        return await _push_at_rate(fake, text="hello {n}")
    finally:
        while not task.done():  # the SDK sleeps and reconnects after a cancellation: cancel again
            task.cancel()
            await asyncio.sleep(0.01)
        await fake.drop()


async def _rapport(fake: FakeDingTalk, folder: Path, round_: int) -> list[float]:
    from adapters.app import build_app
    from adapters.dingtalk.platform import DingTalkPlatform
    from adapters.dingtalk.settings import DingTalkSettings
    from benchmarks.seeding import seed_bench_org
    from bot.clock import SystemClock
    from bot.settings import Settings
    from store.db import Database
    from store.migrate import upgrade
    from tests.dingtalk.harness import link_corp

    db_url = f"sqlite+aiosqlite:///{folder / f'dingtalk{round_}.db'}"
    db = Database(url=db_url)
    await upgrade(db)
    app = build_app(Settings(database_url=db_url, org="acme"), clock=SystemClock(), db=db)
    await seed_bench_org(app, values=[])
    await link_corp(app)
    settings = DingTalkSettings(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, robot_code=CLIENT_ID, api_url=fake.url, org="acme")
    platform = DingTalkPlatform(runtime=app, settings=settings)
    stop = asyncio.Event()
    task = asyncio.create_task(platform.stream.run(stop))
    try:
        await fake.connected()
        return await _push_at_rate(fake, text="kudos @Alice Smith thanks for {n}")
    finally:
        stop.set()
        await task
        await platform.close()
        await app.close()


def _line(label: str, samples: list[float]) -> str:
    return f"  {label:<44} p50 {percentile(samples, 50):7.1f} ms  p99 {percentile(samples, 99):7.1f} ms  max {max(samples):7.1f} ms"


async def _main() -> None:
    fake = FakeDingTalk(users={"alice": {"name": "Alice Smith", "email": "alice@example.com"},
                               "bob": {"name": "Bob Brown", "email": "bob@example.com"}})  # fmt: skip
    await fake.start()
    os.environ["DINGTALK_OPENAPI_ENDPOINT"] = fake.url  # before dingtalk_stream is first imported
    anchor, ours = [], []
    try:
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(ROUNDS):
                anchor += await _anchor(fake)
                ours += await _rapport(fake, Path(folder), round_)
    finally:
        await fake.stop()
    print(f" {RATE} messages a second, {ROUNDS} rounds of {MESSAGES} each, time from push to ack")
    print(_line("anchor: dingtalk-stream client, ack only", anchor))
    print(_line("rapport: kudos turn, webhook reply, then ack", ours))
    print(f"  ratio rapport/anchor: p99 {percentile(ours, 99) / percentile(anchor, 99):.2f}x")


def run() -> None:
    asyncio.run(_main())
