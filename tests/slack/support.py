"""Requests to Rapport's `/slack/events`, built and signed exactly as Slack builds and signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.payloads.slack_rules import problems
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_ID = "A0RAPPORT"
# Slack user ids of the seeded Acme people.
USERS = {"alice": "U0ALICE", "bob": "U0BOB", "carol": "U0CAROL", "wei": "U0WEI", "dan": "U0DAN"}


def signature_headers(
    body: str | bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict:
    """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    raw = body if isinstance(body, bytes) else body.encode()
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def slash_command(
    *, user: str, text: str, command: str = "/kudos", channel: str = "D0DM", team: str = TEAM_ID
) -> str:
    """A slash command's form body with every field Slack sends; each has its own trigger id, as
    each of Slack's has, so two commands alike in the same second are two requests, not a replay."""
    return urlencode(
        {
            "token": "gIkuvaNzQIHg97ATvDxqgjtO",
            "team_id": team,
            "team_domain": "acme",
            "enterprise_id": "",
            "enterprise_name": "",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": f"https://hooks.slack.com/commands/{team}/1/abc",
            "trigger_id": f"13345224609.738474920.{uuid.uuid4().hex}",
        }
    )


def event_callback(
    event: dict[str, Any], *, event_id: str = "Ev0001", team: str = TEAM_ID, bot_user: str = BOT_USER_ID
) -> str:
    """An Events API callback, as JSON."""
    return json.dumps(
        {
            "token": "gIkuvaNzQIHg97ATvDxqgjtO",
            "team_id": team,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": bot_user, "is_bot": True}],
        }
    )


def dm_event(*, user: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D0" + user,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": "1764000000.000100",
        "event_ts": "1764000000.000100",
        **extra,
    }


def block_action(*, user: str, action_id: str, value: str, message_ts: str, action_ts: str) -> str:
    """An interactivity request: form-encoded with the JSON in `payload=`."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "D0" + user},
        "channel": {"id": "D0" + user, "name": "directmessage"},
        "trigger_id": "123.456.abc",
        "response_url": "https://hooks.slack.com/actions/T0ACME/1/abc",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": action_ts,
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission(*, user: str, callback_id: str, inputs: dict[str, tuple[str, str]], view_id: str) -> str:
    """A submitted modal: `inputs` maps each input block id to its action id and typed value."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "trigger_id": "123.456.abc",
        "view": {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "",
            "hash": "1764000000.abcd",
            "state": {
                "values": {
                    block: {action: {"type": "plain_text_input", "value": value}}
                    for block, (action, value) in inputs.items()
                }
            },
        },
    }
    return urlencode({"payload": json.dumps(payload)})


@dataclass
class Response:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class SlackRequests:
    """Posts to a running Rapport server over loopback HTTP."""

    url: str
    session: aiohttp.ClientSession

    async def post(
        self, body: str | bytes, *, form: bool, headers: dict | None = None, sign: bool = True
    ) -> Response:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        all_headers = {"Content-Type": content_type, **(signature_headers(body) if sign else {})}
        all_headers.update(headers or {})
        data = body if isinstance(body, bytes) else body.encode()
        async with self.session.post(self.url, data=data, headers=all_headers) as response:
            return Response(status=response.status, text=await response.text())

    async def command(self, user: str, text: str, **kwargs: Any) -> Response:
        """A slash command; its ack, when it shows a message, is one Slack would show."""
        response = await self.post(slash_command(user=user, text=text, **kwargs), form=True)
        if response.status == 200 and response.text.startswith("{"):
            body = response.json()
            if "blocks" in body:
                assert problems(body) == [], f"Slack would not show this ack: {problems(body)}"
        return response

    async def event(
        self, event: dict, *, event_id: str = "Ev0001", retry: int | None = None, **where: str
    ) -> Response:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.post(event_callback(event, event_id=event_id, **where), form=False, headers=headers)

    async def action(self, **kwargs: Any) -> Response:
        return await self.post(block_action(**kwargs), form=True)

    async def submit(self, **kwargs: Any) -> Response:
        return await self.post(view_submission(**kwargs), form=True)
