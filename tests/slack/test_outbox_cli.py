"""`rapport outbox`: what waits, failed or was dropped, how old it is and what happens next; and
`rapport outbox retry` to send it again."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from adapters.cli import parser
from tests.slack.support import USERS
from tests.slack.test_delivery import delivered_ids, statuses, worker_for


async def rapport(app, capsys, *argv: str) -> tuple[int, str, str]:
    """Run `rapport ARGV` on the test's app: its exit code, output and errors."""
    args = parser().parse_args(list(argv))
    code = await args.run(app, args)
    out, err = capsys.readouterr()
    return code, out, err


async def kudos(requests, to: str, *, channel: str = "D0DM") -> None:
    response = await requests.command(USERS["bob"], f"<@{USERS[to]}|{to}> great demo", channel=channel)
    assert response.status == 200


async def test_the_outbox_shows_each_messages_age_attempts_next_attempt_and_reason(
    quiet_requests, slack_app, fake_slack, clock, capsys
):
    await kudos(quiet_requests, "alice", channel="C0GONE")  # a post in a channel that is gone, and a DM
    fake_slack.fail("chat.postMessage", 200, error="channel_not_found", channel="C0GONE")
    fake_slack.fail("chat.postMessage", 503, times=20, channel="D0ALICE")  # Slack is down for the DM
    worker, clients = worker_for(slack_app, fake_slack, backoff=timedelta(seconds=20), jitter=lambda: 0.0)
    clock.advance(timedelta(minutes=2))
    await worker.run_once()
    await clients.close()
    clock.advance(timedelta(seconds=5))

    code, out, _ = await rapport(slack_app, capsys, "outbox")  # the failed ones by default
    assert code == 0
    assert out.splitlines() == [
        "#2 failed: slack channel to C0GONE, age 2m 5s, 1 attempt: HTTP 200: channel_not_found"
        " | 🎉 *Bob Brown* gave kudos to Alice Smith: great demo",
        "1 failed message.",
    ]
    code, out, _ = await rapport(slack_app, capsys, "outbox", "--pending")
    assert out.splitlines() == [
        "#1 pending: slack dm to person 2, age 2m 5s, 1 attempt, next attempt in 15s, useful until"
        " 2026-11-25 09:00 UTC: HTTP 503: internal_error | 🎉 *Bob Brown* gave you kudos: great demo",
        "1 pending message.",
    ]
    code, out, _ = await rapport(slack_app, capsys, "outbox", "--dropped")
    assert out.splitlines() == ["0 dropped messages."]


async def test_retry_sends_a_failed_message_again_by_id_or_every_failed_one(
    quiet_requests, slack_app, fake_slack, clock, capsys
):
    for to in ("alice", "carol", "dan"):
        await kudos(quiet_requests, to)
    fake_slack.fail("chat.postMessage", 200, times=3, error="channel_not_found")  # the three DMs fail
    worker, clients = worker_for(slack_app, fake_slack)
    await worker.run_once()
    assert await statuses(slack_app) == Counter(failed=3)

    code, out, _ = await rapport(slack_app, capsys, "outbox", "retry", "2")
    assert (code, out) == (0, "1 message to be sent again: #2.\n")
    assert [(o.message_id, o.status) for o in await worker.run_once()] == [(2, "sent")]

    code, out, _ = await rapport(slack_app, capsys, "outbox", "retry", "--failed")
    assert (code, out) == (0, "2 messages to be sent again: #1, #3.\n")
    assert [o.status for o in await worker.run_once()] == ["sent", "sent"]
    await clients.close()
    assert delivered_ids(fake_slack) == Counter({1: 1, 2: 1, 3: 1})

    code, out, err = await rapport(slack_app, capsys, "outbox", "retry", "2", "99")
    assert code == 1
    assert out == "0 messages to be sent again.\n"
    assert err.splitlines() == ["#2: already sent, at 2026-11-24 09:00 UTC", "#99: no such message in acme"]
    code, _, err = await rapport(slack_app, capsys, "outbox", "retry")
    assert code == 2 and "their ids" in err


async def test_a_dropped_message_sent_again_is_useful_for_another_day(
    quiet_requests, slack_app, fake_slack, clock, capsys
):
    await kudos(quiet_requests, "alice")
    fake_slack.fail("chat.postMessage", 502, times=10_000)
    clock.advance(timedelta(hours=25))  # Rapport was down for a day: the DM is no longer worth sending
    worker, clients = worker_for(slack_app, fake_slack)
    assert [o.status for o in await worker.run_once()] == ["dropped"]
    code, out, _ = await rapport(slack_app, capsys, "outbox", "--dropped")
    assert code == 0
    assert "#1 dropped: slack dm to person 2, age 1d 1h, 0 attempts: expired before it could be sent" in out

    assert (await rapport(slack_app, capsys, "outbox", "retry", "1"))[0] == 0  # someone wants it anyway
    fake_slack.script["chat.postMessage"].clear()
    assert [o.status for o in await worker.run_once()] == ["sent"]
    await clients.close()
    assert delivered_ids(fake_slack) == Counter({1: 1})
