"""A fake Bot Framework connector on 127.0.0.1 (port 0): records what Rapport sends, answers as scripted.

It serves `POST /v3/conversations` (creates a 1:1 conversation),
`POST /v3/conversations/{id}/activities[/{activityId}]` (a message) and
`GET /v3/conversations/{id}/members/{userId}` (a member's profile, from `members`), and can answer any of them with
a status (429 with Retry-After, 403, 5xx) for the next calls. Like Teams, it refuses a message of
28 KB or more (413) and one whose Adaptive Card declares a schema newer than 1.5 (400); the card
itself is checked with Microsoft's library in tests/payloads.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_MEMBER = re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/members/(?P<user>[^/]+)$")
_ACTIVITIES = re.compile(r"^/v3/conversations/(?P<conversation>[^/]+)/activities(?:/(?P<reply_to>[^/]+))?$")


@dataclass
class Call:
    path: str
    body: dict[str, Any]
    conversation_id: str | None = None
    reply_to: str | None = None
    status: int = 200


@dataclass
class _Failure:
    status: int
    headers: dict[str, str]
    times: int
    path: str
    after: int = 0


@dataclass
class FakeConnector:
    calls: list[Call] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)
    url: str = ""
    conversations: dict[str, list[str]] = field(default_factory=dict)  # conversation id -> member ids
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # user id -> TeamsChannelAccount

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        application = web.Application()
        application.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(application)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def fail(
        self, status: int, *, times: int = 1, headers: dict | None = None, path: str = "", after: int = 0
    ) -> None:
        """Answer the next `times` calls whose path matches the regular expression `path` with `status`,
        once `after` such calls have been answered as usual."""
        self.failures.append(_Failure(status, headers or {}, times, path, after))

    def _failure_for(self, path: str) -> _Failure | None:
        for failure in self.failures:
            if failure.times > 0 and re.search(failure.path, path):
                if failure.after > 0:
                    failure.after -= 1
                    return None
                failure.times -= 1
                return failure
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        path = re.sub("/+", "/", request.path)
        path = path[path.find("/v3/") :] if "/v3/" in path else path  # a service URL may have a path (/emea/)
        body = await request.json() if request.can_read_body else {}
        match = _ACTIVITIES.match(path)
        call = Call(
            path=path,
            body=body,
            conversation_id=match["conversation"] if match else None,
            reply_to=match["reply_to"] if match else None,
        )
        self.calls.append(call)
        if failure := self._failure_for(path):
            call.status = failure.status
            return web.json_response(
                {"error": {"code": "Scripted", "message": f"scripted {failure.status}"}},
                status=failure.status,
                headers=failure.headers,
            )
        if request.method == "GET" and (member := _MEMBER.match(path)):
            found = self.members.get(member["user"])
            if found is None:
                call.status = 404
                return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
            return web.json_response({"id": member["user"], **found})
        if request.method == "POST" and path == "/v3/conversations":
            conversation_id = f"a:conversation-{next(self._ids)}"
            self.conversations[conversation_id] = [m["id"] for m in body.get("members", [])]
            return web.json_response({"id": conversation_id, "activityId": f"created-{conversation_id}"})
        if request.method == "POST" and match:
            if refused := _refused(await request.read(), body):
                call.status = refused[0]
                return web.json_response(
                    {"error": {"code": "BadArgument", "message": refused[1]}}, status=refused[0]
                )
            return web.json_response({"id": f"activity-{next(self._ids)}"})
        call.status = 404
        return web.json_response({"error": {"code": "NotFound", "message": path}}, status=404)

    # What tests read.

    def refused(self) -> list[Call]:
        return [c for c in self.calls if c.status in (400, 413)]

    def messages(self, conversation_id: str | None = None) -> list[Call]:
        """Messages sent (accepted ones), optionally into one conversation."""
        return [
            c
            for c in self.calls
            if c.conversation_id and c.status == 200 and conversation_id in (None, c.conversation_id)
        ]

    def created(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/v3/conversations" and c.status == 200]

    def conversation_with(self, user_id: str) -> str | None:
        return next((cid for cid, members in self.conversations.items() if user_id in members), None)


MAX_ACTIVITY_BYTES = 28_000
CARD_VERSIONS = {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"}


def _refused(raw: bytes, activity: dict[str, Any]) -> tuple[int, str] | None:
    """The status and reason Teams would refuse a message with, or None."""
    if len(raw) >= MAX_ACTIVITY_BYTES:
        return 413, f"the message is {len(raw)} bytes"
    for attachment in activity.get("attachments") or []:
        version = (attachment.get("content") or {}).get("version")
        if (
            attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
            and version not in CARD_VERSIONS
        ):
            return 400, f"Adaptive Card version {version} is not supported"
    return None
