"""The long-connection side of the fake Feishu: `POST /callback/ws/endpoint` hands the app a WebSocket
URL (after checking its id and secret, as Feishu does), and `/ws` carries Feishu's frames (the
protobuf `Frame` lark-oapi speaks): `push` sends an event as a DATA frame and returns the client's
answer (a card callback's toast or card), pings are answered with pongs."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import uuid
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
from lark_oapi.ws.pb.pbbp2_pb2 import Frame

if TYPE_CHECKING:
    from tests.feishu.fake_feishu import FakeFeishu

SERVICE_ID = 7
CONTROL, DATA = 0, 1
WAIT = 10.0  # seconds for the client to connect, or to answer an event


def _header(frame: Frame, key: str) -> str | None:
    return next((h.value for h in frame.headers if h.key == key), None)


class FakeLongConnection:
    def __init__(self, *, fake: FakeFeishu) -> None:
        self.fake = fake
        self.sockets: list[web.WebSocketResponse] = []
        self.connected = asyncio.Event()
        self.refused_secret = 0
        self._answers: dict[str, asyncio.Future] = {}
        self._seq = itertools.count(1)

    async def endpoint(self, request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("AppID") != self.fake.app_id or body.get("AppSecret") != self.fake.app_secret:
            self.refused_secret += 1
            return web.json_response({"code": 1000040343, "msg": "app secret invalid"})
        url = self.fake.url.replace("http://", "ws://") + f"/ws?device_id=dev-{uuid.uuid4().hex[:6]}&service_id={SERVICE_ID}"
        config = {"ReconnectCount": -1, "ReconnectInterval": 1, "ReconnectNonce": 0, "PingInterval": 120}
        return web.json_response({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}})

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.BINARY:
                await self._received(ws, message.data)
        self.sockets.remove(ws)
        if not self.sockets:
            self.connected.clear()
        return ws

    async def _received(self, ws: web.WebSocketResponse, data: bytes) -> None:
        frame = Frame()
        frame.ParseFromString(data)
        if frame.method == CONTROL and _header(frame, "type") == "ping":
            pong = Frame(SeqID=0, LogID=0, service=SERVICE_ID, method=CONTROL)
            pong.headers.add(key="type", value="pong")
            await ws.send_bytes(pong.SerializeToString())
        elif frame.method == DATA:
            waiting = self._answers.pop(_header(frame, "message_id") or "", None)
            if waiting is not None and not waiting.done():
                waiting.set_result(json.loads(frame.payload))

    async def push(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one event down the newest connection; the client's answer (`{}` when it has none)."""
        await asyncio.wait_for(self.connected.wait(), WAIT)
        message_id = uuid.uuid4().hex
        frame = Frame(SeqID=next(self._seq), LogID=0, service=SERVICE_ID, method=DATA)
        for key, value in (("type", "event"), ("message_id", message_id), ("trace_id", uuid.uuid4().hex),
                           ("sum", "1"), ("seq", "0")):
            frame.headers.add(key=key, value=value)
        frame.payload = json.dumps(payload, ensure_ascii=False).encode()
        answer = asyncio.get_running_loop().create_future()
        self._answers[message_id] = answer
        await self.sockets[-1].send_bytes(frame.SerializeToString())
        response = await asyncio.wait_for(answer, WAIT)
        assert response.get("code") == 200, response
        data = response.get("data")
        return json.loads(base64.b64decode(data)) if data else {}

    async def close(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
