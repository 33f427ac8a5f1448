"""`POST /slack/events`: verified before it is read, refused with a status when it cannot be read.

Slack signs every request: `X-Slack-Signature` is `v0=` and the HMAC-SHA256 of
`v0:{X-Slack-Request-Timestamp}:{raw body}` with the app's signing secret, and a timestamp more than
five minutes from ours is refused, as slack-bolt refuses it. The signature is checked on the raw
bytes before anything is decoded or parsed, so a stranger's request costs one HMAC and gets 401,
whatever it holds. A signed body that is not what Slack sends (not UTF-8, not JSON, not an object,
nested too deeply to parse, without the fields Rapport reads) gets 400 and is never acted on.

Bolt's own verification is off (`build_bolt_app`): it would check the same signature again, on a
body it had already parsed.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.envelope import problem

WINDOW_SECONDS = 5 * 60  # slack-bolt's: a signed request older (or newer) than this is refused

# What parsing a signed body can raise when it is not what Slack sends: bad UTF-8 or JSON
# (ValueError), JSON nested past the interpreter's limit (RecursionError), or JSON that is not an
# object, on which bolt's request reads fields (AttributeError, TypeError, KeyError, IndexError).
_UNREADABLE = (ValueError, RecursionError, AttributeError, TypeError, KeyError, IndexError)


def is_signed(raw: bytes, *, timestamp: str, signature: str, secret: bytes, now: float) -> bool:
    """Whether `raw` carries Slack's signature, made within the window of `now` (Unix seconds)."""
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        return False
    expected = hmac.new(secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={expected}", signature)


class SlackEndpoint:
    """The aiohttp handler for Slack's request URL (slash commands, interactivity, Events API).

    Args:
        bolt: the slack-bolt app that routes a verified request to Rapport's listeners.
        signing_secret: the Slack app's signing secret.
        wall_time: Unix seconds now; Slack's timestamps are wall-clock time, whatever the core's clock.
    """

    def __init__(
        self, *, bolt: AsyncApp, signing_secret: str, wall_time: Callable[[], float] = time.time
    ) -> None:
        self.bolt = bolt
        self.secret = signing_secret.encode()
        self.wall_time = wall_time

    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        headers = request.headers
        if not is_signed(
            raw,
            timestamp=headers.get("X-Slack-Request-Timestamp", ""),
            signature=headers.get("X-Slack-Signature", ""),
            secret=self.secret,
            now=self.wall_time(),
        ):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"), query=request.query_string, headers=headers
            )
        except _UNREADABLE:
            return _bad_request("the body is not a Slack request")
        if reason := problem(bolt_request.body):
            return _bad_request(reason)
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": "malformed request", "reason": reason}, status=400)
