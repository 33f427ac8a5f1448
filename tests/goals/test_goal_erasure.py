"""Erasing a person takes the words of their goals everywhere (titles, notes, reasons, their development
plan, the manager's DM that quoted them) and keeps the rows and values for anonymous counts."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.features.privacy.erase import erase_person
from store import people
from store.goal_models import DevelopmentGoal, GoalUpdate, KeyResult, Objective
from tests.test_privacy import every_cell

WORDS = ("Ship billing v2", "Migrate customers", "the API is late", "Public speaking", "a demo slot")


async def test_erasure_takes_the_words_of_goals_and_keeps_the_values(chat, app, org):
    await chat.send("alice", "/goal add Ship billing v2 by 2027-03-31")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    for confidence in (8, 6, 4):
        await chat.send("alice", f"/goal update 1.1 {confidence} confidence {confidence} the API is late")
    chat.expect_dm("carol", "Migrate customers")  # a message that quotes her goal
    await chat.send("carol", "/goal idp add @alice Public speaking: two demos; support: a demo slot")
    stored = await every_cell(app)
    assert all(word in stored for word in WORDS)

    async with app.db.transaction() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        assert await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="test"
        )

    dump = await every_cell(app)
    for word in WORDS:
        assert word not in dump, word
    async with app.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Objective)) == 1
        assert list(await session.scalars(select(GoalUpdate.value).order_by(GoalUpdate.id))) == [8, 6, 4]
        assert await session.scalar(select(KeyResult.target_value)) == 40
        assert await session.scalar(select(func.count()).select_from(DevelopmentGoal)) == 1
