"""Delivering outbox messages to Teams: proactive DMs, refusals, throttling."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.teams.tables import TeamsConversation
from store.models import OutboxMessage
from tests.teams.conftest import card_text, mention, user_id


async def give_kudos(teams, to: str = "alice") -> None:
    await teams.say("bob", f"kudos <at>{to.title()}</at> great demo", entities=[mention(to, to.title())])


async def outbox_rows(teams) -> list[OutboxMessage]:
    async with teams.app.db.read() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_dm_to_someone_who_wrote_before_goes_into_their_chat(teams):
    await teams.say("alice", "help")
    await give_kudos(teams)
    assert [o.status for o in await teams.deliver()] == ["sent"]
    assert teams.connector.created() == []
    [dm] = [c for c in teams.connector.messages("a:dm-alice") if "gave you kudos" in card_text(c)]
    assert card_text(dm) == "🎉 **Bob Brown** gave you kudos: great demo"
    assert dm.body["summary"] == "🎉 Bob Brown gave you kudos: great demo"  # plain: a notification
    [row] = await outbox_rows(teams)
    assert row.status == "sent" and row.attempts == 1


async def test_a_proactive_dm_creates_the_conversation_once_and_reuses_it(teams):
    await give_kudos(teams, "erin")
    await give_kudos(teams, "erin")
    await teams.deliver()
    assert len(teams.connector.created()) == 1
    conversation = teams.connector.conversation_with(user_id("erin"))
    assert len(teams.connector.messages(conversation)) == 2
    async with teams.app.db.read() as session:
        row = await session.scalar(
            select(TeamsConversation).where(TeamsConversation.user_id == user_id("erin"))
        )
    assert row.conversation_id == conversation


async def test_a_person_who_blocked_rapport_is_marked_unreachable_and_not_tried_again(teams):
    await teams.say("alice", "help")
    teams.connector.fail(403, path="a:dm-alice")
    await give_kudos(teams)
    [outcome] = await teams.deliver()
    assert outcome.status == "failed" and "blocked or removed" in outcome.error
    calls_before = len(teams.connector.calls)

    await give_kudos(teams)  # a second message: failed without calling Teams
    [outcome] = await teams.deliver()
    assert outcome.status == "failed" and outcome.error.startswith("unreachable:")
    assert len(teams.connector.calls) == calls_before + 1  # only the reply to Bob's command
    rows = await outbox_rows(teams)
    assert [r.status for r in rows] == ["failed", "failed"]
    assert all("unreachable" in r.last_error for r in rows)

    await teams.say("alice", "help")  # she writes again: reachable again
    await give_kudos(teams)
    assert [o.status for o in await teams.deliver()] == ["sent"]


async def test_a_refused_new_conversation_marks_the_person_unreachable(teams):
    teams.connector.fail(403, path="^/v3/conversations$")
    await teams.say("bob", "kudos <at>Dan Lee</at> great plan", entities=[mention("dan")])
    [outcome] = await teams.deliver()
    assert outcome.status == "failed"
    async with teams.app.db.read() as session:
        row = await session.scalar(
            select(TeamsConversation).where(TeamsConversation.user_id == user_id("dan"))
        )
    assert row.unreachable_reason and row.conversation_id is None


async def test_throttled_429_waits_for_retry_after_then_sends(teams, clock):
    await teams.say("alice", "help")
    teams.connector.fail(429, headers={"Retry-After": "7"}, path="a:dm-alice")
    await give_kudos(teams)
    [outcome] = await teams.deliver()
    assert outcome.status == "retry" and outcome.retry_at == clock.now() + timedelta(seconds=7)

    clock.advance(timedelta(seconds=3))
    assert await teams.deliver() == []  # not due yet
    clock.advance(timedelta(seconds=4))
    assert [o.status for o in await teams.deliver()] == ["sent"]
    [row] = await outbox_rows(teams)
    assert row.status == "sent" and row.attempts == 2


async def test_server_errors_back_off_and_retry(teams, clock):
    await teams.say("alice", "help")
    teams.connector.fail(502, times=2, path="a:dm-alice")
    await give_kudos(teams)
    [first] = await teams.deliver()
    assert first.status == "retry" and first.retry_at == clock.now() + timedelta(seconds=5)
    clock.advance(timedelta(seconds=5))
    [second] = await teams.deliver()
    assert second.status == "retry" and second.retry_at == clock.now() + timedelta(seconds=10)
    clock.advance(timedelta(seconds=10))
    assert [o.status for o in await teams.deliver()] == ["sent"]
    dms = [
        c
        for c in teams.connector.calls
        if c.conversation_id == "a:dm-alice" and "gave you kudos" in card_text(c)
    ]
    assert [c.status for c in dms] == [502, 502, 200]


async def test_someone_with_no_teams_account_fails_with_a_reason(teams, app, org):
    from store import people

    async with app.db.transaction() as session:
        await people.create(
            session, org_id=org.id, display_name="Frank Offline", handle="frank", now=clock_now(app)
        )
    await teams.say("bob", "kudos <at>Alice Smith</at> great demo", entities=[mention("alice")])
    # A DM queued for Teams to a person with no Teams id cannot be delivered.
    async with app.db.transaction() as session:
        frank = await people.by_handle(session, org_id=org.id, handle="frank")
        row = (await session.scalars(select(OutboxMessage))).one()
        row.recipient_id = frank.id
    [outcome] = await teams.deliver()
    assert outcome.status == "failed" and "no Microsoft Teams account" in outcome.error


def clock_now(app):
    return app.clock.now()


async def test_a_message_teams_refuses_fails_at_once_with_the_reason(teams):
    await teams.say("alice", "help")
    teams.connector.fail(400, path="a:dm-alice")
    await give_kudos(teams)
    [outcome] = await teams.deliver()
    assert (outcome.status, outcome.error) == ("failed", "Teams refused the message (400)")
    assert await teams.deliver() == []


async def test_teams_refusing_rapports_credentials_is_retried_until_they_are_mended(teams, clock):
    await teams.say("alice", "help")
    teams.connector.fail(401, times=2, path="a:dm-alice")
    await give_kudos(teams)
    assert [(o.status, o.error) for o in await teams.deliver()] == [("retry", "Teams answered 401")]
    clock.advance(timedelta(seconds=5))
    assert [o.status for o in await teams.deliver()] == ["retry"]
    clock.advance(timedelta(seconds=10))
    assert [o.status for o in await teams.deliver()] == ["sent"]
