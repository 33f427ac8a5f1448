"""A fake DingTalk on 127.0.0.1 (port 0): the Stream gateway and its websocket, the Open API, the older
`oapi` user lookup and the sessionWebhooks, answering as the real ones do.

The stream: `POST /v1.0/gateway/connections/open` checks the app's credentials and hands out a
websocket endpoint and a one-use ticket. `push` sends a CALLBACK frame and waits for its ack (which
must name the frame's message id); a frame not acked when the connection drops is pushed again on
the next connection, with the same message id, as DingTalk does. `ping` sends a SYSTEM ping, whose
ack must carry its data back; `disconnect` sends the SYSTEM `disconnect` notice; `drop` cuts the
connection without a word.

The API: tokens from `/v1.0/oauth2/accessToken` (`expire_tokens` makes DingTalk refuse the ones it
gave, 401 InvalidAuthentication); `oToMessages/batchSend` (at most 20 staff ids; unknown ones come
back in `invalidStaffIdList`; `flow_control(n)` throttles the next n recipients, listed in
`flowControlledStaffIdList`; `qps_limit(n)` refuses the next n calls with 403 QpsLimit);
`groupMessages/send`; `topapi/v2/user/get`; `robot/sendBySession` (an expired session answers
errcode 300001). `down = True` answers 503 to every API call.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

CLIENT_ID = "dingfakeclient"
CLIENT_SECRET = "fake-secret"
CORP = "dingcorp0001"
ROBOT_USER = "$:LWCP_v1:$robot"


@dataclass
class Sent:
    api: str  # "batch", "group", "webhook", "card"
    to: str  # a staff id, a conversation id or a session
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """The message's visible text (Markdown), whatever its kind."""
        param = self.body.get("msgParam")
        if isinstance(param, str):
            return json.loads(param).get("text") or json.loads(param).get("content") or ""
        for key in ("markdown", "actionCard", "text"):
            if key in self.body:
                return self.body[key].get("text") or self.body[key].get("content") or ""
        return json.dumps(self.body, ensure_ascii=False)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        param = self.body.get("msgParam")
        if isinstance(param, str):
            data = json.loads(param)
            found = [(data[f"actionTitle{n}"], data[f"actionURL{n}"]) for n in range(1, 7) if f"actionTitle{n}" in data]
            return found or ([(data["singleTitle"], data["singleURL"])] if "singleTitle" in data else [])
        card = self.body.get("actionCard") or {}
        return [(b["title"], b["actionURL"]) for b in card.get("btns", [])]


@dataclass
class FakeDingTalk:
    users: dict[str, dict[str, str]] = field(default_factory=dict)  # staff id -> name, email
    token_life: int = 7200
    down: bool = False
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, Any]] = field(default_factory=list)
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    ack_seconds: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._tokens: set[str] = set()
        self._tickets: set[str] = set()
        self._sessions: dict[str, float] = {}  # session -> expiry (epoch seconds)
        self._qps_limits = 0
        self._flow_control = 0
        self._ws: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._waiting: dict[str, asyncio.Future] = {}
        self._unacked: dict[str, dict[str, Any]] = {}  # message id -> frame, pushed again on reconnect
        self._sent_at: dict[str, float] = {}
        self.connections = 0
        self.token_fetches = 0
        self.pushed: list[dict[str, Any]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1.0/gateway/connections/open", self._open)
        app.router.add_get("/connect", self._connect)
        app.router.add_post("/v1.0/oauth2/accessToken", self._token)
        app.router.add_post("/v1.0/robot/oToMessages/batchSend", self._batch_send)
        app.router.add_post("/v1.0/robot/groupMessages/send", self._group_send)
        app.router.add_post("/v1.0/card/instances/createAndDeliver", self._card_deliver)
        app.router.add_put("/v1.0/card/instances", self._card_update)
        app.router.add_post("/topapi/v2/user/get", self._user_get)
        app.router.add_post("/robot/sendBySession", self._send_by_session)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- knobs -----------------------------------------------------------------------------------
    def expire_tokens(self) -> None:
        self._tokens.clear()

    def qps_limit(self, calls: int) -> None:
        self._qps_limits = calls

    def flow_control(self, recipients: int) -> None:
        self._flow_control = recipients

    def session_webhook(self, *, valid_for: float = 3600.0) -> tuple[str, int]:
        """A new sessionWebhook and its expiry (epoch milliseconds), as a robot message carries them."""
        session = uuid.uuid4().hex
        expiry = time.time() + valid_for
        self._sessions[session] = expiry
        return f"{self.url}/robot/sendBySession?session={session}", int(expiry * 1000)

    def expire_sessions(self) -> None:
        self._sessions = dict.fromkeys(self._sessions, 0.0)

    # --- the stream ------------------------------------------------------------------------------
    async def connected(self, within: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), within)

    async def push(self, topic: str, data: dict[str, Any], *, wait: bool = True, within: float = 10.0) -> dict | None:
        """Push a CALLBACK frame; with `wait`, its ack (None if the connection dropped first)."""
        message_id = uuid.uuid4().hex
        frame = {
            "specVersion": "1.0",
            "type": "CALLBACK",
            "headers": {
                "appId": CLIENT_ID, "connectionId": "c1", "contentType": "application/json",
                "messageId": message_id, "time": str(int(time.time() * 1000)), "topic": topic,
            },
            "data": json.dumps(data, ensure_ascii=False),
        }  # fmt: skip
        self._unacked[message_id] = frame
        self.pushed.append(frame)
        return await self._send(frame, wait=wait, within=within)

    async def ping(self, within: float = 10.0) -> dict | None:
        opaque = uuid.uuid4().hex
        frame = {
            "specVersion": "1.0", "type": "SYSTEM",
            "headers": {"messageId": uuid.uuid4().hex, "topic": "ping", "contentType": "application/json"},
            "data": json.dumps({"opaque": opaque}),
        }  # fmt: skip
        return await self._send(frame, wait=True, within=within)

    async def disconnect(self) -> None:
        frame = {
            "specVersion": "1.0", "type": "SYSTEM",
            "headers": {"messageId": uuid.uuid4().hex, "topic": "disconnect", "contentType": "application/json"},
            "data": json.dumps({"reason": "gateway restarting"}),
        }  # fmt: skip
        await self._send(frame, wait=False)

    async def drop(self) -> None:
        """Cut the connection without a word (the client sees it closed abnormally)."""
        ws = self._ws
        self._connected.clear()
        if ws is not None and ws._req is not None and ws._req.transport is not None:
            ws._req.transport.abort()

    async def _send(self, frame: dict[str, Any], *, wait: bool, within: float = 10.0) -> dict | None:
        await self.connected(within)
        message_id = frame["headers"]["messageId"]
        future = asyncio.get_running_loop().create_future()
        self._waiting[message_id] = future
        self._sent_at[message_id] = time.perf_counter()
        await self._ws.send_str(json.dumps(frame, ensure_ascii=False))
        if not wait:
            return None
        try:
            return await asyncio.wait_for(asyncio.shield(future), within)
        except (TimeoutError, ConnectionError):
            return None

    async def _open(self, request: web.Request) -> web.Response:
        if refused := self._unavailable():
            return refused
        body = await request.json()
        self.calls.append(("open", body))
        if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
            return web.json_response({"code": "InvalidAuthentication", "message": "bad credentials"}, status=401)
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        return web.json_response({"endpoint": f"{self.url.replace('http', 'ws')}/connect", "ticket": ticket})

    async def _connect(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401)
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        self.connections += 1
        self._connected.set()
        for frame in list(self._unacked.values()):  # what the last connection left unacked
            await ws.send_str(json.dumps(frame, ensure_ascii=False))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self._ack(json.loads(message.data))
        if self._ws is ws:
            self._connected.clear()
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("dropped"))
        self._waiting.clear()
        return ws

    def _ack(self, ack: dict[str, Any]) -> None:
        message_id = (ack.get("headers") or {}).get("messageId")
        if not message_id:
            return
        self.acks[message_id] = ack
        self._unacked.pop(message_id, None)
        if message_id in self._sent_at:
            self.ack_seconds.append(time.perf_counter() - self._sent_at.pop(message_id))
        future = self._waiting.pop(message_id, None)
        if future is not None and not future.done():
            future.set_result(ack)

    # --- the API ---------------------------------------------------------------------------------
    def _unavailable(self) -> web.Response | None:
        if self.down:
            return web.json_response({"code": "ServiceUnavailable", "message": "down"}, status=503)
        return None

    def _unauthorised(self, request: web.Request) -> web.Response | None:
        token = request.headers.get("x-acs-dingtalk-access-token")
        if token not in self._tokens:
            return web.json_response({"code": "InvalidAuthentication", "message": "不合法的access_token"}, status=401)
        if self._qps_limits:
            self._qps_limits -= 1
            return web.json_response(
                {"code": "Forbidden.AccessDenied.QpsLimitForApi", "message": "QPS limit"}, status=403
            )
        return None

    async def _token(self, request: web.Request) -> web.Response:
        if refused := self._unavailable():
            return refused
        body = await request.json()
        if body.get("appKey") != CLIENT_ID or body.get("appSecret") != CLIENT_SECRET:
            return web.json_response({"code": "invalidClientIdOrSecret", "message": "bad secret"}, status=400)
        token = uuid.uuid4().hex
        self._tokens.add(token)
        self.token_fetches += 1
        return web.json_response({"accessToken": token, "expireIn": self.token_life})

    async def _batch_send(self, request: web.Request) -> web.Response:
        if refused := self._unavailable() or self._unauthorised(request):
            return refused
        body = await request.json()
        self.calls.append(("batch", body))
        ids = body.get("userIds") or []
        if not ids or len(ids) > 20 or not body.get("msgKey") or body.get("robotCode") != CLIENT_ID:
            return web.json_response({"code": "InvalidParameter", "message": "bad request"}, status=400)
        invalid = [i for i in ids if i not in self.users]
        throttled = []
        for staff_id in ids:
            if staff_id in invalid:
                continue
            if self._flow_control:
                self._flow_control -= 1
                throttled.append(staff_id)
                continue
            self.sent.append(Sent(api="batch", to=staff_id, body=body))
        return web.json_response(
            {
                "processQueryKey": uuid.uuid4().hex,
                "invalidStaffIdList": invalid,
                "flowControlledStaffIdList": throttled,
            }
        )

    async def _group_send(self, request: web.Request) -> web.Response:
        if refused := self._unavailable() or self._unauthorised(request):
            return refused
        body = await request.json()
        self.sent.append(Sent(api="group", to=body.get("openConversationId", ""), body=body))
        return web.json_response({"processQueryKey": uuid.uuid4().hex})

    async def _card_deliver(self, request: web.Request) -> web.Response:
        if refused := self._unavailable() or self._unauthorised(request):
            return refused
        body = await request.json()
        self.sent.append(Sent(api="card", to=body.get("openSpaceId", ""), body=body))
        return web.json_response({"success": True, "result": {"outTrackId": body.get("outTrackId")}})

    async def _card_update(self, request: web.Request) -> web.Response:
        if refused := self._unavailable() or self._unauthorised(request):
            return refused
        body = await request.json()
        self.sent.append(Sent(api="card-update", to=body.get("outTrackId", ""), body=body))
        return web.json_response({"success": True, "result": True})

    async def _user_get(self, request: web.Request) -> web.Response:
        if refused := self._unavailable():
            return refused
        if request.query.get("access_token") not in self._tokens:
            return web.json_response({"errcode": 40014, "errmsg": "不合法的access_token"})
        body = await request.json()
        user = self.users.get(body.get("userid", ""))
        if user is None:
            return web.json_response({"errcode": 60121, "errmsg": "找不到该用户"})
        return web.json_response({"errcode": 0, "errmsg": "ok", "result": {"userid": body["userid"], **user}})

    async def _send_by_session(self, request: web.Request) -> web.Response:
        if refused := self._unavailable():
            return refused
        session = request.query.get("session", "")
        if self._sessions.get(session, 0.0) < time.time():
            return web.json_response({"errcode": 300001, "errmsg": "session 不存在"})
        body = await request.json()
        self.sent.append(Sent(api="webhook", to=session, body=body))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    # --- what DingTalk pushes ----------------------------------------------------------------------
    _ids = itertools.count(1)

    def robot_message(
        self,
        staff_id: str,
        text: str,
        *,
        group: str | None = None,
        at: tuple[str, ...] = (),
        webhook_valid_for: float = 3600.0,
    ) -> dict[str, Any]:
        """The data of a robot message from `staff_id`, in their 1:1 chat or in `group`."""
        webhook, expiry = self.session_webhook(valid_for=webhook_valid_for)
        at_users = [{"dingtalkId": f"$:LWCP_v1:${s}", "staffId": s} for s in at]
        if group:
            at_users.append({"dingtalkId": ROBOT_USER})
        return {
            "conversationId": group or f"cid-{staff_id}",
            "atUsers": at_users,
            "chatbotCorpId": CORP,
            "chatbotUserId": ROBOT_USER,
            "msgId": f"msg{next(self._ids):06d}",
            "senderNick": (self.users.get(staff_id) or {}).get("name", staff_id),
            "isAdmin": False,
            "senderStaffId": staff_id,
            "sessionWebhookExpiredTime": expiry,
            "createAt": int(time.time() * 1000),
            "senderCorpId": CORP,
            "conversationType": "2" if group else "1",
            "senderId": f"$:LWCP_v1:${staff_id}",
            "sessionWebhook": webhook,
            "text": {"content": text},
            "robotCode": CLIENT_ID,
            "msgtype": "text",
            "isInAtList": bool(group),
        }
