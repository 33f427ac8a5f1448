"""Events API and interactivity over loopback: retries, duplicates, bots, mentions, buttons."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from store.models import Kudos, OutboxMessage
from tests.slack.conftest import wait_until
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID
from tests.slack.support import USERS, dm_event


async def outbox_rows(app) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(OutboxMessage))


async def test_free_text_in_a_dm_gets_short_help_in_that_dm(slack, fake_slack):
    response = await slack.event(dm_event(user=USERS["bob"], text="hello there"))
    assert response.status == 200
    await wait_until(lambda: len(fake_slack.posted("D0U0BOB")) == 1)
    assert "I only understand commands here" in fake_slack.posted("D0U0BOB")[0]["text"]


async def test_a_retried_event_acts_once(slack, slack_app, fake_slack):
    event = dm_event(user=USERS["bob"], text="hello")
    assert (await slack.event(event, event_id="Ev42")).status == 200
    assert (await slack.event(event, event_id="Ev42", retry=1)).status == 200
    assert (await slack.event(event, event_id="Ev42", retry=2)).status == 200
    assert await outbox_rows(slack_app) == 1
    await wait_until(lambda: len(fake_slack.posted()) == 1)


async def test_concurrent_duplicates_act_once(slack, slack_app):
    event = dm_event(user=USERS["wei"], text="你好")
    responses = await asyncio.gather(*(slack.event(event, event_id="Ev77") for _ in range(8)))
    assert {r.status for r in responses} == {200}
    assert await outbox_rows(slack_app) == 1


async def test_bot_messages_are_ignored(slack, slack_app):
    events = [
        dm_event(user=BOT_USER_ID, text="Kudos sent", bot_id=BOT_ID),  # Rapport itself
        dm_event(user="U0OTHERBOT", text="beep", bot_id="B0OTHER"),
        dm_event(user=USERS["bob"], text="edited", subtype="message_changed"),
        {"type": "message", "subtype": "bot_message", "bot_id": "B0OTHER", "channel": "D0X", "text": "hi"},
    ]
    for number, event in enumerate(events):
        assert (await slack.event(event, event_id=f"EvBot{number}")).status == 200
    assert await outbox_rows(slack_app) == 0


async def test_a_mention_with_a_command_runs_it(slack, slack_app, fake_slack):
    event = {
        "type": "app_mention",
        "user": USERS["carol"],
        "text": f"<@{BOT_USER_ID}> kudos <@{USERS['dan']}|dan> closed the Globex deal",
        "channel": "C0SALES",
        "ts": "1764000000.000200",
    }
    assert (await slack.event(event, event_id="EvMention")).status == 200
    async with slack_app.db.read() as session:
        kudos = (await session.scalars(select(Kudos))).one()
    assert kudos.message == "closed the Globex deal"
    await wait_until(lambda: len(fake_slack.posted("C0SALES")) == 2)  # the public post and the reply
    await wait_until(lambda: len(fake_slack.posted("D0DAN")) == 1)


async def test_unrelated_events_are_acknowledged(slack, slack_app):
    event = {"type": "member_joined_channel", "user": USERS["bob"], "channel": "C0GENERAL"}
    assert (await slack.event(event, event_id="EvJoin")).status == 200
    home = {"type": "app_home_opened", "user": USERS["bob"], "channel": "D0BOB", "tab": "messages"}
    assert (await slack.event(home, event_id="EvHome")).status == 200
    assert await outbox_rows(slack_app) == 0


async def test_a_double_click_acts_once(slack, slack_app, fake_slack):
    """Two clicks on one button are two payloads with two action_ts; they act once."""
    clicks = [
        slack.action(user=USERS["bob"], action_id="checkin.rate#2", value="3", message_ts="1.1", action_ts=ts)
        for ts in ("1764000001.1", "1764000001.3")
    ]
    responses = await asyncio.gather(*clicks)
    assert {r.status for r in responses} == {200}
    assert await outbox_rows(slack_app) == 1
    await wait_until(lambda: len(fake_slack.posted("D0U0BOB")) == 1)
    assert "checkin.rate" in fake_slack.posted("D0U0BOB")[0]["text"]  # no such action yet: polite error
