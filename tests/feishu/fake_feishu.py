"""A fake Feishu Open Platform on 127.0.0.1 (port 0) that answers as the real one does.

It serves what Rapport calls, through the real lark-oapi client pointed at it (FEISHU_DOMAIN):
* `POST /open-apis/auth/v3/tenant_access_token/internal`: a token (fields at the top level, as Feishu
  answers), refused (code 10014) for a wrong app secret;
* `POST /open-apis/im/v1/messages?receive_id_type=open_id|chat_id`: records the message; refuses a
  card over 30 KB (230025), an unknown chat (230002), a person outside the app's availability (230013),
  a wrong token (99991663);
* `GET /open-apis/bot/v3/info`, `GET /open-apis/contact/v3/users/{open_id}`,
  `POST /open-apis/contact/v3/users/batch_get_id`;
* and, not Feishu's, `GET /_fake/sent`: how many messages it recorded (a benchmark's fake runs in a
  process of its own).

Scripted failures answer the next calls: a rate limit (HTTP 429, code 99991400 and
`x-ogw-ratelimit-reset`, as Feishu's gateway does), an expired token (99991663), an outage (a 502
HTML page), or any code. `expire_tokens()` makes every token issued so far rejected.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.feishu.fake_long_connection import FakeLongConnection

CARD_LIMIT = 30 * 1024
BOT_OPEN_ID = "ou_rapport_bot"


@dataclass
class Sent:
    receive_id_type: str
    receive_id: str
    msg_type: str
    content: str
    message_id: str

    @property
    def card(self) -> dict[str, Any]:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        """Every markdown text of the card, one per line."""
        return "\n".join(_texts(self.card.get("body", {}).get("elements", [])))


def _texts(elements: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for element in elements:
        if element.get("tag") == "markdown":
            out.append(element["content"])
        for column in element.get("columns", ()):
            out += _texts(column.get("elements", []))
        if element.get("tag") == "button":
            out.append(f"[{element['text']['content']}]")
    return out


@dataclass
class _Failure:
    path: str
    times: int
    kind: str  # "rate_limit", "token", "outage", "portal" or "code"
    code: int = 0
    reset: int = 1


@dataclass
class User:
    open_id: str
    name: str | None = None
    email: str | None = None
    time_zone: str | None = None
    available: bool = True  # inside the app's availability


@dataclass
class FakeFeishu:
    app_id: str = "cli_test"
    app_secret: str = "secret"
    sent: list[Sent] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    chats: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)
    peers: set[tuple[str, int]] = field(default_factory=set)  # the client ends of the connections used
    url: str = ""

    def __post_init__(self) -> None:
        self._failures: list[_Failure] = []
        self._ids = itertools.count(1)
        self._tokens: set[str] = set()
        self._runner: web.AppRunner | None = None
        self.long_connection = FakeLongConnection(fake=self)

    async def start(self) -> str:
        application = web.Application()
        routes = [
            web.post("/open-apis/auth/v3/tenant_access_token/internal", self._token),
            web.post("/open-apis/im/v1/messages", self._message),
            web.get("/open-apis/bot/v3/info", self._bot),
            web.post("/open-apis/contact/v3/users/batch_get_id", self._batch_get_id),
            web.get("/open-apis/contact/v3/users/{open_id}", self._user),
            web.post("/callback/ws/endpoint", self.long_connection.endpoint),
            web.get("/ws", self.long_connection.socket),
            web.get("/_fake/sent", self._sent_count),
        ]
        application.add_routes(routes)
        self._runner = web.AppRunner(application)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        await self.long_connection.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def add_user(self, open_id: str, **profile: Any) -> User:
        self.users[open_id] = User(open_id=open_id, **profile)
        return self.users[open_id]

    def fail(
        self, kind: str, *, times: int = 1, path: str = "/open-apis/im/v1/messages", **options: Any
    ) -> None:
        """Answer the next `times` calls to `path` with a failure of `kind`."""
        self._failures.append(_Failure(path=path, times=times, kind=kind, **options))

    def expire_tokens(self) -> None:
        self._tokens.clear()

    def _failure(self, path: str) -> web.Response | None:
        for failure in self._failures:
            if failure.path == path and failure.times > 0:
                failure.times -= 1
                return _FAILURES[failure.kind](failure)
        return None

    def _called(self, request: web.Request) -> None:
        self.calls.append(request.path)
        self.peers.add(request.transport.get_extra_info("peername")[:2])

    def _authorised(self, request: web.Request) -> web.Response | None:
        self._called(request)
        if failure := self._failure(request.path):
            return failure
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return _error(
                99991663,
                "Invalid access token for authorization. Please make a request with token attached.",
                status=400,
            )
        return None

    async def _token(self, request: web.Request) -> web.Response:
        self._called(request)
        if failure := self._failure(request.path):
            return failure
        body = await request.json()
        if body.get("app_id") != self.app_id or body.get("app_secret") != self.app_secret:
            return _error(10014, "app secret invalid", status=400)
        token = f"t-{next(self._ids)}"
        self._tokens.add(token)
        return web.json_response({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200})

    async def _message(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        kind = request.query.get("receive_id_type", "")
        body = await request.json()
        receive_id, content = body.get("receive_id", ""), body.get("content", "")
        if kind not in ("open_id", "chat_id", "user_id", "union_id", "email"):
            return _error(99992402, "field validation failed: receive_id_type", status=400)
        if len(content.encode()) > CARD_LIMIT:
            return _error(230025, "The message content is too long.", status=400)
        if body.get("msg_type") == "interactive" and (problem := card_problem(content)):
            return _error(
                230099, f"Failed to create card content, ext=ErrCode: 200621; ErrMsg: {problem}", status=400
            )
        if kind == "open_id" and (receive_id not in self.users or not self.users[receive_id].available):
            return _error(230013, "Bot has NO availability to this user.", status=400)
        if kind == "chat_id" and receive_id not in self.chats:
            return _error(230002, "Bot/User can NOT be out of the chat.", status=400)
        message_id = f"om_{next(self._ids)}"
        self.sent.append(Sent(kind, receive_id, body.get("msg_type", ""), content, message_id))
        return web.json_response({"code": 0, "msg": "success", "data": {"message_id": message_id}})

    async def _sent_count(self, request: web.Request) -> web.Response:
        """Not Feishu's: how many messages were recorded, for a benchmark whose fake runs in a process
        of its own."""
        return web.json_response({"sent": len(self.sent)})

    async def _bot(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        bot = {"activate_status": 2, "app_name": "Rapport", "open_id": BOT_OPEN_ID, "ip_white_list": []}
        return web.json_response({"code": 0, "msg": "ok", "bot": bot})

    async def _user(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        user = self.users.get(request.match_info["open_id"])
        if user is None:
            return _error(41050, "no user authority error", status=400)
        data = {"open_id": user.open_id, "name": user.name, "email": user.email, "time_zone": user.time_zone}
        return web.json_response(
            {"code": 0, "msg": "success", "data": {"user": {k: v for k, v in data.items() if v}}}
        )

    async def _batch_get_id(self, request: web.Request) -> web.Response:
        if refused := self._authorised(request):
            return refused
        emails = (await request.json()).get("emails") or []
        by_email = {u.email.lower(): u.open_id for u in self.users.values() if u.email}
        users = [
            {"email": e, **({"user_id": by_email[e.lower()]} if e.lower() in by_email else {})}
            for e in emails
        ]
        return web.json_response({"code": 0, "msg": "success", "data": {"user_list": users}})


# The components of a schema 2.0 card Rapport may use, and what each must have (Feishu's card JSON 2.0
# reference: buttons and menus act through `behaviors`, a row is a column_set of columns).
_REQUIRED = {
    "markdown": ("content",),
    "button": ("text", "behaviors"),
    "select_static": ("options", "behaviors"),
    "column_set": ("columns",),
    "column": ("elements",),
    "hr": (),
}
MAX_ELEMENTS = 200


def card_problem(content: str) -> str | None:
    """Why Feishu would refuse this card, or None."""
    try:
        card = json.loads(content)
    except ValueError:
        return "card is not JSON"
    if card.get("schema") != "2.0" or not isinstance(card.get("body", {}).get("elements"), list):
        return "not a schema 2.0 card with body.elements"
    count = 0
    stack = list(card["body"]["elements"])
    while stack:
        element = stack.pop()
        count += 1
        tag = element.get("tag")
        if tag not in _REQUIRED:
            return f"unknown tag {tag!r}"
        if missing := [k for k in _REQUIRED[tag] if not element.get(k)]:
            return f"{tag} lacks {', '.join(missing)}"
        stack += element.get("columns", []) + element.get("elements", [])
    return f"{count} elements, more than {MAX_ELEMENTS}" if count > MAX_ELEMENTS else None


def _error(code: int, msg: str, *, status: int) -> web.Response:
    return web.json_response({"code": code, "msg": msg}, status=status)


_FAILURES = {
    "rate_limit": lambda f: web.json_response(
        {"code": 99991400, "msg": "request trigger frequency limit"},
        status=429,
        headers={"x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": str(f.reset)},
    ),
    "token": lambda f: _error(99991663, "Invalid access token for authorization.", status=400),
    "outage": lambda f: web.Response(
        status=502, text="<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html"
    ),
    "code": lambda f: _error(f.code, "refused", status=400),
    "portal": lambda f: web.Response(  # a proxy's page, answered with 200
        status=200, text="<html><body>Sign in to the network</body></html>", content_type="text/html"
    ),
}
