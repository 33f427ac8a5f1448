"""`/slack/events` at its edges: verified before it is read, malformed requests refused with 400,
replayed slash commands acting once, and one workspace's server answering only that workspace."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from adapters.slack.replay import ReplayPruner
from store.feedback_models import Feedback
from store.models import Kudos, OutboxMessage, ProcessedEvent, Workspace
from tests.slack.fake_slack import TEAM_ID
from tests.slack.support import USERS, event_callback, signature_headers, slash_command

KUDOS = f"<@{USERS['alice']}|alice> great demo #ownership"
DEEP = "[" * 100_000 + "]" * 100_000


async def count(app, model, *where) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


def no_errors_logged(caplog) -> bool:
    return not [r for r in caplog.records if r.levelno >= logging.ERROR]


def interactive(payload: dict) -> str:
    return urlencode({"payload": json.dumps(payload)})


# What a stranger might send: none of it is read before the signature is checked.
UNSIGNED = {
    "not json": ("{not json", False, {}),
    "null": ("null", False, {}),
    "deep arrays": (DEEP, False, {}),
    "not utf-8": (b"\xff\xfe{", False, {}),
    "a command": (slash_command(user=USERS["bob"], text=KUDOS), True, {}),
    "a timestamp that is not a number": (
        "{}",
        False,
        {"X-Slack-Request-Timestamp": "²", "X-Slack-Signature": "v0=00"},
    ),
    "a 23-digit timestamp": (
        "{}",
        False,
        {"X-Slack-Request-Timestamp": "1" * 23, "X-Slack-Signature": "v0=00"},
    ),
}


@pytest.mark.parametrize("case", list(UNSIGNED))
async def test_an_unsigned_request_gets_401_whatever_it_holds(quiet_requests, slack_app, caplog, case):
    body, form, headers = UNSIGNED[case]
    response = await quiet_requests.post(body, form=form, sign=False, headers=headers)
    assert response.status == 401
    assert await count(slack_app, Kudos) == 0
    assert no_errors_logged(caplog)


# Signed with the app's secret, but not what Slack sends.
MALFORMED = {
    "not json": ("{not json", False),
    "null": ("null", False),
    "an array": ("[1, 2]", False),
    "deep arrays": (DEEP, False),
    "not utf-8": (b"{\xff\xfe}", False),
    "a payload that is not json": (urlencode({"payload": "{not json"}), True),
    "a payload that is null": (urlencode({"payload": "null"}), True),
    "a command without team_id": (
        urlencode({"command": "/kudos", "user_id": USERS["bob"], "text": KUDOS}),
        True,
    ),
    "a command without user_id": (urlencode({"command": "/kudos", "team_id": TEAM_ID, "text": KUDOS}), True),
    "an event that is null": (
        json.dumps({"type": "event_callback", "team_id": TEAM_ID, "event": None}),
        False,
    ),
    "an event that is a list": (
        json.dumps({"type": "event_callback", "team_id": TEAM_ID, "event": [1]}),
        False,
    ),
    "an event without a team": (
        json.dumps({"type": "event_callback", "event": {"type": "message", "user": USERS["bob"]}}),
        False,
    ),
    "a message whose text is a number": (
        event_callback({"type": "message", "channel_type": "im", "user": USERS["bob"], "text": 5}),
        False,
    ),
    "a button press without a user": (
        interactive({"type": "block_actions", "team": {"id": TEAM_ID}, "actions": [{"action_id": "x"}]}),
        True,
    ),
    "a submitted view without its view": (
        interactive({"type": "view_submission", "team": {"id": TEAM_ID}, "user": {"id": USERS["bob"]}}),
        True,
    ),
}


@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_signed_request_that_is_not_what_slack_sends_gets_400(
    quiet_requests, slack_app, caplog, case
):
    body, form = MALFORMED[case]
    response = await quiet_requests.post(body, form=form)
    assert response.status == 400, response.text
    assert await count(slack_app, Kudos) == 0
    assert await count(slack_app, OutboxMessage) == 0
    assert no_errors_logged(caplog)


async def test_a_replayed_slash_command_acts_once(quiet_requests, slack_app):
    """The same signed request (body and timestamp) sent again, later or at the same moment."""
    body = slash_command(user=USERS["bob"], text=KUDOS)
    headers = signature_headers(body)
    first = await quiet_requests.post(body, form=True, sign=False, headers=headers)
    assert "Kudos sent to Alice Smith" in first.json()["text"]
    again = await quiet_requests.post(body, form=True, sign=False, headers=headers)
    assert (again.status, again.text) == (200, "")
    body = slash_command(user=USERS["bob"], text=KUDOS)
    headers = signature_headers(body)
    together = await asyncio.gather(
        *(quiet_requests.post(body, form=True, sign=False, headers=headers) for _ in range(3))
    )
    assert sorted(r.text != "" for r in together) == [False, False, True]
    assert await count(slack_app, Kudos) == 2
    assert await count(slack_app, OutboxMessage) == 2


async def test_a_replayed_command_outside_the_batch_acts_once(quiet_requests, slack_app):
    body = slash_command(
        user=USERS["bob"], text=f"<@{USERS['alice']}|alice> the demo was clear", command="/feedback"
    )
    headers = signature_headers(body)
    for _ in range(2):
        await quiet_requests.post(body, form=True, sign=False, headers=headers)
    assert await count(slack_app, Feedback) == 1


async def test_two_alike_commands_are_two_kudos(quiet_requests, slack_app):
    """Slack gives each command its own trigger id, so two typed alike in one second both act."""
    for _ in range(2):
        await quiet_requests.command(USERS["bob"], KUDOS)
    assert await count(slack_app, Kudos) == 2


async def test_replay_ids_are_forgotten_once_their_requests_expire(quiet_requests, slack_app):
    await quiet_requests.command(USERS["bob"], KUDOS)
    await quiet_requests.command(USERS["bob"], KUDOS)
    assert await count(slack_app, ProcessedEvent) == 2
    now = time.time()
    assert await ReplayPruner(db=slack_app.db, wall_time=lambda: now + 300).prune() == 0
    assert await ReplayPruner(db=slack_app.db, wall_time=lambda: now + 362).prune() == 2
    assert await count(slack_app, ProcessedEvent) == 0


async def test_a_workspace_other_than_the_tokens_is_refused_not_adopted(quiet_requests, slack_app):
    """One workspace's server (SLACK_BOT_TOKEN): the same app installed elsewhere signs its requests
    with the same secret, but they are answered as from a workspace where Rapport is not installed."""
    response = await quiet_requests.command(USERS["bob"], KUDOS, team="T0OTHER")
    assert response.status == 200
    assert "isn't set up for this workspace" in response.json()["text"]
    event = {"type": "message", "channel_type": "im", "user": "U0STRANGER", "text": "hello"}
    assert (await quiet_requests.event(event, team="T0OTHER")).status == 200
    assert await count(slack_app, Workspace, Workspace.external_id == "T0OTHER") == 0
    assert await count(slack_app, Kudos) == 0
    assert await count(slack_app, OutboxMessage) == 0
    response = await quiet_requests.command(USERS["bob"], KUDOS)  # its own workspace still works
    assert "Kudos sent to Alice Smith" in response.json()["text"]
