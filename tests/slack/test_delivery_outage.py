"""Delivery through a Slack outage: retried for as long as a message is useful, Retry-After honoured,
permanent errors stopped at once, and what could not be sent in time dropped with its reason."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from adapters.slack.clients import SlackClients
from bot.features import build_scheduler
from store.models import OutboxMessage
from tests.slack.support import USERS
from tests.slack.test_delivery import delivered_ids, statuses, worker_for

TWO_PEOPLE = f"<@{USERS['alice']}|alice> <@{USERS['carol']}|carol>"


async def outbox_rows(app) -> list[OutboxMessage]:
    async with app.db.read() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def outbox_worker(app, fake_slack):
    """A worker backing off from 5 s without jitter, and clients that leave every retry to it: they
    would try a 500 or 503 again themselves a second later, a second of the test's time each."""
    clients = SlackClients(base_url=fake_slack.url, timeout=1.0, server_error_retries=0)
    return worker_for(app, fake_slack, clients=clients, backoff=timedelta(seconds=5), jitter=lambda: 0.0)


async def run_until(worker, clock, *, until, step: timedelta = timedelta(seconds=5)) -> None:
    """Run the worker once every `step` of the test's clock until `until`, as a server would."""
    while clock.now() < until:
        await worker.run_once()
        clock.advance(step)


async def test_a_seven_minute_outage_delays_kudos_notices_but_loses_none(
    quiet_requests, slack_app, fake_slack, clock
):
    """Slack answers 503 for seven minutes: the notices are tried again and again, well past the five
    attempts that used to fail them for good, and each goes out once when Slack is back."""
    for number in range(3):
        response = await quiet_requests.command(USERS["bob"], f"{TWO_PEOPLE} fixed the build, part {number}")
        assert response.status == 200
    fake_slack.fail("chat.postMessage", 503, times=10_000, error="service_unavailable")
    worker, clients = outbox_worker(slack_app, fake_slack)
    back = clock.now() + timedelta(minutes=7)
    await run_until(worker, clock, until=back)
    assert await statuses(slack_app) == Counter(pending=6)
    assert {row.last_error for row in await outbox_rows(slack_app)} == {"HTTP 503: service_unavailable"}

    fake_slack.script["chat.postMessage"].clear()  # Slack is back
    await run_until(worker, clock, until=back + timedelta(minutes=6))  # the longest wait by then: 5m20s
    await clients.close()
    assert await statuses(slack_app) == Counter(sent=6)
    assert delivered_ids(fake_slack) == Counter({i: 1 for i in range(1, 7)})
    assert min(row.attempts for row in await outbox_rows(slack_app)) > 5


async def test_slacks_retry_after_is_waited_out_to_the_second(quiet_requests, slack_app, fake_slack, clock):
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    fake_slack.fail("chat.postMessage", 429, retry_after=30)
    # A client that hands a 429 straight to the outbox instead of waiting it out itself
    clients = SlackClients(base_url=fake_slack.url, timeout=1.0, rate_limit_retries=0)
    worker, _ = worker_for(slack_app, fake_slack, clients=clients, jitter=lambda: 0.0)
    [outcome] = await worker.run_once()
    assert outcome.status == "retry" and outcome.retry_at == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    assert await worker.run_once() == []  # not yet
    clock.advance(timedelta(seconds=1))
    assert [o.status for o in await worker.run_once()] == ["sent"]
    await clients.close()


@pytest.mark.parametrize("code", ["channel_not_found", "user_not_found", "not_in_channel", "is_archived"])
async def test_a_permanent_error_stops_at_once_with_its_reason(quiet_requests, slack_app, fake_slack, code):
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    fake_slack.fail("chat.postMessage", 200, error=code)
    worker, clients = worker_for(slack_app, fake_slack)
    [outcome] = await worker.run_once()
    assert (outcome.status, outcome.error) == ("failed", f"HTTP 200: {code}")
    assert await worker.run_once() == []  # never tried again
    await clients.close()
    [row] = await outbox_rows(slack_app)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, f"HTTP 200: {code}")
    assert len(fake_slack.called("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (200, "invalid_auth"),
        (200, "token_revoked"),
        (200, "account_inactive"),
        (200, "missing_scope"),
        (404, None),  # HTML from a proxy in front of Slack
    ],
)
async def test_what_only_an_operator_can_mend_is_retried_until_mended(
    quiet_requests, slack_app, fake_slack, clock, status, code
):
    """A revoked token or a missing scope is not the message's fault (nor is a proxy's own answer with
    no Slack error in it): the message waits, and goes out once the operator has put it right."""
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    if code is None:
        fake_slack.fail_as_proxy("chat.postMessage", status, times=3)
    else:
        fake_slack.fail("chat.postMessage", status, times=3, error=code)
    worker, clients = outbox_worker(slack_app, fake_slack)
    await run_until(worker, clock, until=clock.now() + timedelta(minutes=1))
    await clients.close()
    [row] = await outbox_rows(slack_app)
    assert (row.status, row.attempts) == ("sent", 4)
    assert delivered_ids(fake_slack) == Counter({row.id: 1})


async def test_a_message_slack_never_took_is_dropped_a_day_later_with_the_reason(
    quiet_requests, slack_app, fake_slack, clock
):
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    queued = clock.now()
    fake_slack.fail("chat.postMessage", 502, times=10_000)
    worker, clients = outbox_worker(slack_app, fake_slack)
    await run_until(worker, clock, until=queued + timedelta(hours=25), step=timedelta(minutes=15))
    await clients.close()
    [row] = await outbox_rows(slack_app)
    assert row.status == "dropped"
    assert row.last_error == "expired before it could be sent (last error: HTTP 502: internal_error)"
    assert row.expires_at == queued + timedelta(hours=24)
    assert row.attempts > 90  # every 15 minutes at most, once the backoff reached its cap
    assert not fake_slack.posted()


async def test_a_sign_in_link_is_dropped_when_it_expires_during_an_outage(
    quiet_requests, slack_app, fake_slack, clock
):
    """The dashboard link works for 15 minutes: sent later it would only be refused, so it is dropped;
    a kudos notice queued with it still waits for Slack."""
    response = await quiet_requests.command(USERS["carol"], "dashboard", command="/rapport")
    assert "sign-in link" in response.json()["text"]
    await quiet_requests.command(USERS["bob"], f"<@{USERS['alice']}|alice> great demo")
    fake_slack.fail("chat.postMessage", 503, times=10_000)
    worker, clients = outbox_worker(slack_app, fake_slack)
    await run_until(worker, clock, until=clock.now() + timedelta(minutes=20))
    await clients.close()
    link, notice = await outbox_rows(slack_app)
    assert "sign-in link" in link.payload["summary"] and link.status == "dropped"
    assert link.last_error == "expired before it could be sent (last error: HTTP 503: internal_error)"
    assert notice.status == "pending"
    assert not fake_slack.posted()


async def test_a_check_in_prompt_is_dropped_when_its_window_closes_during_an_outage(
    quiet_requests, slack_app, fake_slack, clock
):
    response = await quiet_requests.command(
        USERS["alice"], "schedule weekly wednesday 10:00", command="/checkin"
    )
    assert "every Wednesday at 10:00" in response.json()["text"]
    clock.set(datetime(2026, 11, 25, 9, tzinfo=UTC))  # Wednesday, 10:00 in Berlin
    assert (await build_scheduler(db=slack_app.db, catalogue=slack_app.catalogue).run_due(clock.now())).done
    fake_slack.fail("chat.postMessage", 503, times=10_000)
    worker, clients = outbox_worker(slack_app, fake_slack)
    closes = datetime(2026, 11, 26, 17, tzinfo=UTC)  # Thursday, 18:00 in Berlin
    await run_until(worker, clock, until=closes - timedelta(minutes=20), step=timedelta(minutes=15))
    [prompt] = await outbox_rows(slack_app)
    assert prompt.status == "pending" and prompt.expires_at == closes  # still worth sending
    await run_until(worker, clock, until=closes + timedelta(minutes=5), step=timedelta(minutes=5))
    await clients.close()
    [prompt] = await outbox_rows(slack_app)
    assert prompt.status == "dropped" and prompt.last_error.startswith("expired before it could be sent")
    assert not fake_slack.posted()
