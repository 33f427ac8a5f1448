"""Recording a review on Teams, naming the actions' owners from the mention list: each `<at>` mention
is resolved when the answer is given, not again with a later message's (which has none)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from store.action_models import ActionItem
from tests.teams.conftest import mention

ACTIONS = "<at>Erin Park</at> Draft the territory plan by 2026-12-20; <at>Dan Lee</at> Book the sales course by 2027-01-15"


async def record_notes(teams, *, actions: str, named: tuple[str, ...] = ("erin", "dan")) -> dict:
    """Dan records Erin's review on Teams up to the actions step, and answers it naming `named`
    from the mention list."""
    await teams.say(
        "dan", "review schedule <at>Erin Park</at> 2026-11-26 14:00 anyway", entities=[mention("erin")]
    )
    teams.app.clock.set(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))
    await teams.say("dan", "review notes <at>Erin Park</at>", entities=[mention("erin")])
    for answer in (
        "Closed the Q4 deals",
        "Good pace",
        "Plan smaller",
        "Wants to lead a team",
        "skip",
        "skip",
    ):
        await teams.say("dan", answer)
    return await teams.say("dan", actions, entities=[mention(handle) for handle in named])


async def test_owners_picked_from_the_mention_list_are_the_owners_at_the_end(teams):
    await record_notes(teams, actions=ACTIONS)
    last = await teams.say("dan", "skip")  # the last (optional) question, answered with no mention
    text = teams.reply_text(last)
    assert "couldn't tell" not in text
    assert "2 agreed actions" in text
    assert "Erin Park: Draft the territory plan" in text and "Dan Lee: Book the sales course" in text
    async with teams.app.db.read() as session:
        agreed = list(await session.scalars(select(ActionItem).order_by(ActionItem.id)))
    assert [a.title for a in agreed] == ["Draft the territory plan", "Book the sales course"]
    assert len({a.owner_id for a in agreed}) == 2


async def test_the_answer_read_back_names_people_not_teams_markup(teams):
    await record_notes(teams, actions=ACTIONS)
    back = await teams.say("dan", "back")  # to the actions step: its current answer is shown
    text = teams.reply_text(back)
    assert "<at>" not in text and "&lt;at" not in text
    assert "@Erin Park Draft the territory plan by 2026-12-20; @Dan Lee Book the sales course" in text
    again = await teams.say("dan", "skip")  # keeps the answer
    assert "<at>" not in teams.reply_text(again)
    done = await teams.say("dan", "skip")
    assert "2 agreed actions" in teams.reply_text(done)


async def test_a_refusal_at_the_step_names_people_as_they_read_them(teams):
    sent = await record_notes(
        teams,
        actions="<at>Alice Smith</at> Draft the plan by 2026-12-20; <at>Erin Park</at> Call back by 2026-12-21",
        named=("alice", "erin"),
    )
    reply = teams.reply_text(sent)  # Alice is not in this review: she may not own one of its actions
    assert "“@Alice Smith Draft the plan by 2026-12-20” needs an owner first" in reply
    assert "<at>" not in reply
    await teams.say("dan", ACTIONS, entities=[mention("erin"), mention("dan")])  # still that step
    done = await teams.say("dan", "skip")
    assert "2 agreed actions" in teams.reply_text(done)


async def test_a_review_outside_working_hours_suggests_commands_people_can_type(teams):
    """Erin (New York) would meet at 22:00: the ask-back offers `anyway` with her name as @Name,
    never Teams' `<at>` markup, which means nothing typed back."""
    sent = await teams.say(
        "dan", "review schedule <at>Erin Park</at> 2026-11-26 14:00", entities=[mention("erin")]
    )
    reply = teams.reply_text(sent)
    assert "outside working hours" in reply
    assert "`/review schedule @Erin Park 2026-11-26 14:00 anyway`" in reply
    assert "<at>" not in reply and "&lt;at" not in reply
