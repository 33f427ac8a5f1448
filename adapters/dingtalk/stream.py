"""The Stream-mode connection, on the dingtalk-stream SDK's client, frames and handlers.

Import `adapters.dingtalk.sdk.load` first: the SDK reads its endpoint when imported.

What the SDK leaves to its user, done here:

* it opens the connection with a blocking `requests` call (and a UDP probe of a public address to
  learn its own IP): this opens it with aiohttp, at `DINGTALK_API_URL`, without the probe;
* its `start` retries every 3 or 10 seconds forever and cannot be stopped: `run(stop)` reconnects
  after a drop, a refused gateway or a `disconnect` notice with a backoff that doubles up to a cap
  (with jitter, so that many servers do not come back together), and returns when `stop` is set;
* DingTalk pushes again whatever it did not see acked, with the same message id: each CALLBACK is
  handled once, across reconnects; a repeat waits for the first handling and is acked without a
  second one. A frame is acked (with its message id) only once handled, so a connection that drops
  mid-turn loses nothing: the push comes again and finds its work done.

SYSTEM pings are answered by the SDK's own handler (the ack carries the ping's data back).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

import aiohttp
import dingtalk_stream
import websockets
from dingtalk_stream.frames import AckMessage, CallbackMessage, Headers

from adapters.dingtalk.settings import DingTalkSettings

log = logging.getLogger(__name__)

GATEWAY_PATH = "/v1.0/gateway/connections/open"
REMEMBERED = 10_000  # message ids kept to recognise a push that comes again
HEALTHY_SECONDS = 30.0  # a connection that lived this long resets the backoff

Handle = Callable[[Mapping[str, Any], str], Awaitable[None]]


class GatewayRefused(Exception):
    """The gateway would not open a connection (bad credentials, an outage)."""


class _Topic(dingtalk_stream.CallbackHandler):
    """One CALLBACK topic: hands each message's data and id to Rapport."""

    def __init__(self, handle: Handle) -> None:
        super().__init__()
        self.handle = handle

    async def process(self, message: CallbackMessage) -> tuple[int, str]:
        await self.handle(message.data, message.headers.message_id)
        return AckMessage.STATUS_OK, "OK"


class StreamClient(dingtalk_stream.DingTalkStreamClient):
    """The SDK's client with Rapport's connection loop and once-only handling.

    Args:
        settings: the app's credentials and `DINGTALK_API_URL`.
        topics: the CALLBACK topics to subscribe to and what handles each.
        backoff, max_backoff: seconds before the first reconnection, doubling up to the cap.
    """

    def __init__(
        self,
        *,
        settings: DingTalkSettings,
        topics: Mapping[str, Handle],
        backoff: float = 1.0,
        max_backoff: float = 60.0,
    ) -> None:
        super().__init__(dingtalk_stream.Credential(settings.client_id, settings.client_secret), logger=log)
        self.settings = settings
        self.backoff = backoff
        self.max_backoff = max_backoff
        for topic, handle in topics.items():
            self.register_callback_handler(topic, _Topic(handle))
        self.connected = asyncio.Event()
        self.connections = 0
        self._handled: OrderedDict[str, asyncio.Future[bool]] = OrderedDict()
        self._tasks: set[asyncio.Task] = set()

    def get_host_ip(self) -> str:
        return ""  # the SDK probes a public address to learn it; DingTalk does not need it

    async def run(self, stop: asyncio.Event) -> None:
        """Stay connected until `stop` is set, reconnecting with backoff."""
        self.pre_start()
        delay = self.backoff
        loop = asyncio.get_running_loop()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            while not stop.is_set():
                opened_at = loop.time()
                try:
                    await self._connection(http, stop)
                except (GatewayRefused, OSError, aiohttp.ClientError, TimeoutError,
                        websockets.exceptions.WebSocketException) as error:  # fmt: skip
                    log.warning("DingTalk stream: %s", error)
                finally:
                    self.connected.clear()
                if stop.is_set():
                    break
                if loop.time() - opened_at >= HEALTHY_SECONDS:
                    delay = self.backoff
                await _pause(stop, delay * (0.5 + random.random() / 2))
                delay = min(delay * 2, self.max_backoff)
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _connection(self, http: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        """One connection, from the gateway's ticket to its end (a drop, a notice, or `stop`)."""
        connection = await self._open(http)
        uri = f"{connection['endpoint']}?ticket={quote_plus(connection['ticket'])}"
        async with websockets.connect(uri, ping_interval=60, max_size=None) as websocket:
            self.websocket = websocket
            self.connections += 1
            self.connected.set()
            log.info("DingTalk stream connected")
            closer = asyncio.create_task(_close_on(stop, websocket))
            try:
                async for raw in websocket:
                    self._spawn(self.background_task(json.loads(raw)))
            finally:
                closer.cancel()

    async def _open(self, http: aiohttp.ClientSession) -> dict[str, Any]:
        topics = [{"type": "CALLBACK", "topic": topic} for topic in self.callback_handler_map]
        body = {
            "clientId": self.credential.client_id,
            "clientSecret": self.credential.client_secret,
            "subscriptions": topics,
            "ua": "rapport-dingtalk-stream",
            "localIp": "",
        }
        async with http.post(f"{self.settings.openapi}{GATEWAY_PATH}", json=body) as response:
            data = await response.json(content_type=None) if response.status < 300 else None
            if not isinstance(data, dict) or not data.get("endpoint") or not data.get("ticket"):
                raise GatewayRefused(f"the gateway answered {response.status}: {await response.text()}")
            return data

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def route_message(self, json_message: dict[str, Any]) -> str:
        if json_message.get("type") != CallbackMessage.TYPE:
            return await super().route_message(json_message)  # pings, the disconnect notice
        message = CallbackMessage.from_dict(json_message)
        handler = self.callback_handler_map.get(message.headers.topic)
        if handler is None:
            log.warning("DingTalk pushed topic %s, which Rapport does not subscribe to", message.headers.topic)
            return ""
        if await self._once(message, handler):
            await self._ack(message.headers.message_id)
        return ""

    async def _once(self, message: CallbackMessage, handler: _Topic) -> bool:
        """Handle a pushed message unless it was already; whether it is handled (to ack it)."""
        message_id = message.headers.message_id
        earlier = self._handled.get(message_id)
        if earlier is not None and await asyncio.shield(earlier):
            return True
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._handled[message_id] = done
        while len(self._handled) > REMEMBERED:
            self._handled.popitem(last=False)
        try:
            await handler.process(message)
        except Exception:
            log.exception("DingTalk message %s could not be handled; DingTalk will push it again", message_id)
            self._handled.pop(message_id, None)
            done.set_result(False)
            return False
        done.set_result(True)
        return True

    async def _ack(self, message_id: str) -> None:
        ack = AckMessage()
        ack.headers.message_id = message_id
        ack.headers.content_type = Headers.CONTENT_TYPE_APPLICATION_JSON
        ack.data = {"response": "OK"}
        try:
            await self.websocket.send(json.dumps(ack.to_dict()))
        except websockets.exceptions.ConnectionClosed:
            log.info("DingTalk message %s handled; its ack was cut off and it will come again", message_id)


async def _close_on(stop: asyncio.Event, websocket) -> None:
    await stop.wait()
    await websocket.close()


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
