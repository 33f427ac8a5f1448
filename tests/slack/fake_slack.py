"""A fake Slack Web API on 127.0.0.1, port 0: records every call, keeps posted messages (with their
metadata) for conversations.history, and can answer 429 with Retry-After, 5xx, late, or hang. Like Slack,
it refuses a message or a Home view that breaks Block Kit's rules (`invalid_blocks`) or is too long
(`msg_blocks_too_long`), checked as tests/payloads/slack_rules.py checks them.

It knows workspaces by bot token (`add_team`, which also makes an OAuth code that installs it), users
by team (`add_user`, for users.info and users.lookupByEmail), and keeps each user's published Home."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.payloads.slack_rules import problems

TEAM_ID = "T0ACME"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None


@dataclass
class FakeSlack:
    """Script failures with `fail(method, status, times, retry_after=)` or `hang(method, times)`."""

    calls: list[Call] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    script: dict[str, list[tuple[str, Any, str | None]]] = field(default_factory=lambda: defaultdict(list))
    released: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""
    teams: dict[str, dict[str, str]] = field(
        default_factory=lambda: {
            "xoxb-test-token": {"team_id": TEAM_ID, "team": "Acme", "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        }
    )
    codes: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds before each answer
    users: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    homes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    refused: list[list[str]] = field(default_factory=list)  # why each refused message was refused
    _token: str | None = None
    # Socket Mode: the WebSocket the app opened, and every message it sent back (acks)
    socket: web.WebSocketResponse | None = None
    socket_open: asyncio.Event = field(default_factory=asyncio.Event)
    acks: asyncio.Queue = field(default_factory=asyncio.Queue)
    _runner: web.AppRunner | None = None
    _ts: int = 0

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host="127.0.0.1", port=0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/api/"
        return self

    async def stop(self) -> None:
        self.released.set()
        if self.socket is not None:
            await self.socket.close()
        await self._runner.cleanup()

    def fail(
        self,
        method: str,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        error: str = "",
        channel: str | None = None,
        after: int = 0,
    ) -> None:
        """The next `times` calls (to `channel`, if given) answer `status`; a 200 is `ok: false, error`.
        With `after`, that many calls succeed first."""
        self.script[method].extend([("ok", None, channel)] * after)
        self.script[method].extend([("status", (status, retry_after, error), channel)] * times)

    def fail_as_proxy(self, method: str, status: int, *, times: int = 1) -> None:
        """The next `times` calls are answered by something in front of Slack: `status`, in HTML."""
        self.script[method].extend([("proxy", status, None)] * times)

    def hang(self, method: str, *, times: int = 1, after: int = 0) -> None:
        """The next `times` calls (after `after` that succeed) record, do their work and then never
        answer (until `released`)."""
        self.script[method].extend([("ok", None, None)] * after)
        self.script[method].extend([("hang", None, None)] * times)

    def slow(self, method: str, seconds: float) -> None:
        """Every call of `method` does its work at once, then answers `seconds` later."""
        self.delays[method] = seconds

    def add_team(self, team_id: str, *, name: str, token: str, bot_user_id: str, code: str) -> None:
        """A workspace whose install ends with `code`; oauth.v2.access turns the code into `token`."""
        self.teams[token] = {
            "team_id": team_id,
            "team": name,
            "user_id": bot_user_id,
            "bot_id": "B" + team_id,
        }
        self.codes[code] = token

    def add_user(self, team_id: str, user_id: str, *, name: str, **profile: Any) -> None:
        """A user users.info knows: `email`, `tz` and `locale` as Slack spells them."""
        self.users[(team_id, user_id)] = {"name": name, **profile}

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        return [m for ch, ms in self.messages.items() if channel in (None, ch) for m in ms]

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        auth = request.headers.get("Authorization", "")
        self._token = auth.removeprefix("Bearer ") or params.get("token")
        self.calls.append(Call(method=method, params=params, token=self._token))
        action, arg = self._next(method, _channel(params.get("channel")))
        if action == "status":
            status, retry_after, error = arg
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            body = {"ok": False, "error": error or ("ratelimited" if status == 429 else "internal_error")}
            return web.json_response(body, status=status, headers=headers)
        if action == "proxy":
            return web.Response(text=f"<html><body>{arg}</body></html>", status=arg, content_type="text/html")
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        result = answer(params) if answer else {"ok": True}
        if action == "hang":
            await self.released.wait()
        if method in self.delays:
            await asyncio.sleep(self.delays[method])
        return web.json_response(result)

    def _next(self, method: str, channel: str | None) -> tuple[str, object]:
        for index, (action, arg, only) in enumerate(self.script[method]):
            if only in (None, channel):
                del self.script[method][index]
                return action, arg
        return "ok", None

    def _auth_test(self, params: dict) -> dict:
        team = self.teams.get(self._token or "")
        return {"ok": True, **team} if team else {"ok": False, "error": "invalid_auth"}

    def _apps_connections_open(self, params: dict) -> dict:
        if not (self._token or "").startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.url.replace("http://", "ws://").replace("/api/", "/socket")}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Slack's Socket Mode end: hello, then envelopes pushed with `push`; acks go to `acks`."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0"}})
        self.socket = socket
        self.socket_open.set()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return socket

    async def push(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope over the open socket and return the app's ack for it."""
        await asyncio.wait_for(self.socket_open.wait(), timeout=5)
        await self.socket.send_json(envelope)
        return await asyncio.wait_for(self.acks.get(), timeout=5)

    def _files_getUploadURLExternal(self, params: dict) -> dict:
        file_id = f"F{len(self.files) + 1:04d}"
        self.files[file_id] = {"name": params.get("filename"), "content": b""}
        return {"ok": True, "file_id": file_id, "upload_url": self.url.replace("/api/", f"/upload/{file_id}")}

    async def _upload(self, request: web.Request) -> web.Response:
        self.files[request.match_info["file_id"]]["content"] = await request.read()
        return web.Response(text="OK")

    def _files_completeUploadExternal(self, params: dict) -> dict:
        shared = json.loads(params.get("files", "[]"))
        for entry in shared:
            self.files[entry["id"]]["channel"] = params.get("channel_id")
        return {"ok": True, "files": [{"id": entry["id"]} for entry in shared]}

    def _oauth_v2_access(self, params: dict) -> dict:
        token = self.codes.get(params.get("code", ""))
        if token is None:
            return {"ok": False, "error": "invalid_code"}
        team = self.teams[token]
        return {
            "ok": True,
            "app_id": "A0RAPPORT",
            "access_token": token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": team["user_id"],
            "team": {"id": team["team_id"], "name": team["team"]},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "U0INSTALLER"},
        }

    def _team(self) -> str | None:
        return (self.teams.get(self._token or "") or {}).get("team_id")

    def _user(self, user_id: str, info: dict[str, Any]) -> dict[str, Any]:
        profile = {"real_name": info["name"], "display_name": info["name"]}
        if "email" in info:
            profile["email"] = info["email"]
        extra = {k: info[k] for k in ("tz", "locale") if k in info}
        return {
            "id": user_id,
            "team_id": self._team(),
            "real_name": info["name"],
            "profile": profile,
            **extra,
        }

    def _users_info(self, params: dict) -> dict:
        info = self.users.get((self._team(), params.get("user")))
        if info is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self._user(params["user"], info)}

    def _users_lookupByEmail(self, params: dict) -> dict:
        for (team, user_id), info in self.users.items():
            if team == self._team() and info.get("email", "").lower() == params.get("email", "").lower():
                return {"ok": True, "user": self._user(user_id, info)}
        return {"ok": False, "error": "users_not_found"}

    def _views_publish(self, params: dict) -> dict:
        view = params["view"]
        refused = problems(view, home=True)
        if refused:
            self.refused.append(refused)
            return {"ok": False, "error": "invalid_blocks"}
        self.homes[(self._team(), params["user_id"])] = view
        return {"ok": True, "view": {"id": "V0HOME", **view}}

    def _conversations_open(self, params: dict) -> dict:
        return {"ok": True, "channel": {"id": _channel(params["users"])}}

    def _chat_postMessage(self, params: dict) -> dict:
        refused = problems({"text": params.get("text"), "blocks": params.get("blocks") or []})
        if refused:
            self.refused.append(refused)
            return {
                "ok": False,
                "error": "msg_blocks_too_long" if "too_long" in refused[0] else "invalid_blocks",
            }
        params = {**params, "channel": _channel(params["channel"])}
        self._ts += 1
        ts = f"1764000000.{self._ts:06d}"
        message = {"ts": ts, "text": params.get("text"), "blocks": params.get("blocks")}
        message["metadata"] = params.get("metadata")
        self.messages[params["channel"]].append(message)
        return {"ok": True, "channel": params["channel"], "ts": ts, "message": message}

    def _conversations_history(self, params: dict) -> dict:
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        messages = [
            {k: v for k, v in m.items() if with_metadata or k != "metadata"}
            for m in reversed(self.messages.get(params["channel"], []))
        ]
        return {"ok": True, "messages": messages[: int(params.get("limit", 100))], "has_more": False}


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        params.update(await request.post())
    for key in ("blocks", "metadata", "view"):
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params


def _channel(channel: str | None) -> str | None:
    """Where a message to `channel` goes: a user's id (U…, W…) means the app's DM with them."""
    if channel and channel.startswith(("U", "W")):
        return "D" + channel.lstrip("UW")
    return channel
