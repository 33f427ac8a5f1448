"""A reply too long for one Slack message arrives whole, as a few messages in order, each once: after a
429 part way, after a crash between two parts, and when it answers a slash command."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from adapters.slack.render import escape
from bot.i18n import Catalogue
from tests.payloads import busy
from tests.payloads.shown import missing, slack_text
from tests.slack.conftest import wait_until
from tests.slack.support import USERS
from tests.slack.test_delivery import drain, statuses, worker_for

ALICE_DM = "D0ALICE"


async def queue_digest(app, requests) -> None:
    """The digest after a busy quarter (16,300 characters), queued as a DM to Alice, in a workspace
    Rapport has met (a first command links it)."""
    assert (await requests.command(USERS["carol"], "", command="/rapport")).status == 200
    await busy.queue_to(app, handle="alice", platform="slack", reply=busy.busy_digest(Catalogue.load(), "en"))


def parts(fake_slack) -> list[tuple[int, int]]:
    """(outbox id, part) of each message in Alice's DM, in the order Slack took them."""
    found = [m["metadata"]["event_payload"] for m in fake_slack.posted(ALICE_DM)]
    return [(payload["outbox_id"], payload.get("part", 0)) for payload in found]


def shown(fake_slack, channel: str = ALICE_DM) -> str:
    return "\n".join(slack_text(message["blocks"]) for message in fake_slack.posted(channel))


async def test_a_long_dm_arrives_whole_as_a_few_messages_in_order(quiet_requests, slack_app, fake_slack):
    await queue_digest(slack_app, quiet_requests)
    worker, clients = worker_for(slack_app, fake_slack)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=1)  # one outbox row
    assert parts(fake_slack) == [(1, 0), (1, 1), (1, 2)]
    assert fake_slack.refused == []
    digest = busy.busy_digest(Catalogue.load(), "en")
    assert missing(digest, shown(fake_slack), written=escape) == []
    first = fake_slack.posted(ALICE_DM)[0]
    assert first["text"] == digest.plain_summary() and "*" not in first["text"]


async def test_a_429_part_way_sends_only_the_parts_not_yet_taken(quiet_requests, slack_app, fake_slack):
    await queue_digest(slack_app, quiet_requests)
    fake_slack.fail("chat.postMessage", 429, retry_after=0, after=1)  # the second part is refused
    worker, clients = worker_for(slack_app, fake_slack)
    await drain(worker, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=1)
    assert parts(fake_slack) == [(1, 0), (1, 1), (1, 2)]  # the first part is not repeated
    assert len(fake_slack.called("chat.postMessage")) == 4


async def test_a_crash_between_two_parts_sends_each_part_once(quiet_requests, slack_app, fake_slack, clock):
    """The second part went out but its answer never came back before the process died; after the
    lease, the retry finds it in the DM's history and sends only the third."""
    await queue_digest(slack_app, quiet_requests)
    fake_slack.hang("chat.postMessage", after=1)
    worker, clients = worker_for(slack_app, fake_slack)
    crashed = asyncio.create_task(worker.run_once())
    await wait_until(lambda: len(fake_slack.posted(ALICE_DM)) == 2)
    crashed.cancel()
    await clients.close()
    assert await statuses(slack_app) == Counter(sending=1)

    clock.advance(timedelta(minutes=6))  # the claim's lease runs out
    restarted, clients = worker_for(slack_app, fake_slack)
    await drain(restarted, slack_app)
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=1)
    assert parts(fake_slack) == [(1, 0), (1, 1), (1, 2)]


async def test_a_slash_command_whose_answer_is_too_long_for_its_ack_is_answered_by_dm(
    slack, slack_app, fake_slack
):
    """/feedback list after a lot of long feedback: the ack says so, the list comes as DMs, whole."""
    long_words = "Your design review comments were precise and kind; the team used them the same day. " * 22
    for number in range(8):
        response = await slack.command(
            USERS["bob"], f"<@{USERS['alice']}|alice> #{number} {long_words}", command="/feedback"
        )
        assert response.status == 200
    listed = await slack.command(USERS["alice"], "list", command="/feedback", channel="C0GENERAL")
    assert (
        listed.json()["text"]
        == "That answer is too long to show here, so I've sent it to you as direct messages."
    )
    assert listed.json()["response_type"] == "ephemeral"
    await wait_until(lambda: len(fake_slack.posted(ALICE_DM)) > 8 + 1)
    text = "\n".join(slack_text(m["blocks"]) for m in fake_slack.posted(ALICE_DM)[8:])  # after the 8 DMs
    assert [f"#{number} Your design review" in text for number in range(8)] == [True] * 8
    assert fake_slack.posted("C0GENERAL") == [] and fake_slack.refused == []
