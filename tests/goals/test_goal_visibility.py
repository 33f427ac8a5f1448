"""Who sees which goal, in an organisation that shows goals to all and in one that keeps them private:
a matrix over the commands, and a reader who compares what they are told about a goal they may not see
with what they are told about one that does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.access import can_view_development_goal
from store import people, roles
from store.goal_models import DevelopmentGoal
from store.models import Organisation

EVERYONE = ["carol", "alice", "bob", "wei", "dan", "erin"]
NOT_SEEN = ("There is no goal #{id} that you can see.", "没有你能查看的目标 #{id}。")


@pytest.fixture
async def goals_set(chat, app, org):
    """Dan manages Carol (so Alice's chain is Carol, then Dan); Erin is HR. Goals: #1 Alice's own (with a
    confidence and a note), #2 Carol's team's, #3 the company's (set by Erin)."""
    async with app.db.transaction() as session:
        by_handle = {h: await people.by_handle(session, org_id=org.id, handle=h) for h in EVERYONE}
        by_handle["carol"].manager_id = by_handle["dan"].id
        await roles.grant(
            session, org_id=org.id, person_id=by_handle["erin"].id, role="hr", now=app.clock.now()
        )
    await chat.send("alice", "/goal add Ship billing v2")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send("alice", "/goal update 1.1 5 confidence 4 worried about the API")
    await chat.send("carol", "/goal add Grow the platform team for team")
    await chat.send("erin", "/goal add Double revenue for company")
    chat.expect_reply("Goal #3 is set for the company")
    return by_handle


async def private(app, org, value: bool) -> None:
    async with app.db.transaction() as session:
        await session.execute(
            update(Organisation)
            .where(Organisation.id == org.id)
            .values(goal_visibility="private" if value else "organisation")
        )


async def seen_by(chat, goal_id: int) -> set[str]:
    seen = set()
    for handle in EVERYONE:
        reply = await chat.send(handle, f"/goal show {goal_id}")
        if reply not in {text.format(id=goal_id) for text in NOT_SEEN}:
            assert f"Goal #{goal_id}:" in reply or f"目标 #{goal_id}：" in reply
            seen.add(handle)
    return seen


async def test_goals_are_visible_to_the_whole_organisation_by_default(chat, goals_set):
    for goal_id in (1, 2, 3):
        assert await seen_by(chat, goal_id) == set(EVERYONE)


async def test_private_goals_are_for_the_person_their_managers_and_hr(chat, app, org, goals_set):
    await private(app, org, True)
    assert await seen_by(chat, 1) == {"alice", "carol", "dan", "erin"}
    assert await seen_by(chat, 2) == {"carol", "dan", "erin", "alice", "bob", "wei"}  # the team's members
    assert await seen_by(chat, 3) == set(EVERYONE)  # the company's goals stay visible to all


async def test_confidence_and_notes_are_for_the_person_and_their_managers_only(chat, goals_set):
    for handle in EVERYONE:
        reply = await chat.send(handle, "/goal show 1")
        shown = "confidence 4" in reply and "worried about the API" in reply
        assert shown == (handle in {"alice", "carol", "dan"}), handle
        assert "5/40 customers" in reply


async def test_a_reader_who_compares_learns_nothing_of_a_private_goal(chat, app, org, goals_set):
    await private(app, org, True)
    for line in (
        "/goal show {id}",
        "/goal update {id}.1 9",
        "/goal kr {id} Sneak in 0 -> 1",
        "/goal drop {id}",
        "/goal edit {id} status behind because",
        "/goal done {id}.1",
        "/goal add Mine under {id}",
    ):
        hidden = await chat.send("bob", line.format(id=1))
        missing = await chat.send("bob", line.format(id=77))
        assert hidden == missing.replace("77", "1"), line
    hidden = await chat.send("bob", "/goal list @alice")
    missing = await chat.send("bob", "/goal list @wei")  # Wei has no goals at all
    assert hidden == missing.replace("张伟", "Alice Smith")


def test_development_goals_are_for_the_person_and_their_manager_only(goals_set, org):
    by_handle = goals_set
    goal = DevelopmentGoal(org_id=org.id, person_id=by_handle["alice"].id, status="open")
    seen = {h for h in EVERYONE if can_view_development_goal(by_handle[h], goal, by_handle["alice"])}
    assert seen == {"alice", "carol"}  # not the manager's manager, not HR
