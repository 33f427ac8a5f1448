"""The monthly goal conversation: a manager's DM per report with goals, its two buttons, once a month."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from bot.features.privacy.erase import erase_person
from bot.features.privacy.export import gather
from store import people
from store.goal_models import GoalConversation
from store.models import Person
from tests.test_privacy import every_cell

DEC_1 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday: 10:00 in London, where Carol lives
JAN_1 = datetime(2027, 1, 1, 10, 0, tzinfo=UTC)  # a Friday


async def set_goals(chat, who: str = "alice", number: int = 1) -> None:
    await chat.send(who, "/goal add Ship billing v2 by 2027-03-31")
    await chat.send(who, f"/goal kr {number} Migrate customers 0 -> 40 customers")
    await chat.send(who, f"/goal kr {number} Launch the pricing page")


async def talk_ids(app) -> list[int]:
    async with app.db.read() as session:
        return list(await session.scalars(select(GoalConversation.id).order_by(GoalConversation.id)))


async def test_the_manager_gets_one_dm_per_report_with_goals_and_records_the_talk_once(chat, app):
    await set_goals(chat)
    await chat.send("alice", "/goal update 1.1 12 confidence 7 two accounts moved")
    await chat.tick(DEC_1)
    dm = chat.expect_dm(
        "carol",
        "Monthly goal conversation with Alice Smith (December 2026). Where their goals stand:",
        "#1 Ship billing v2 · on track",
        "1.1 Migrate customers ▰▰▰▱▱▱▱▱▱▱ 12/40 customers",
        "confidence 7",
        "1.2 Launch the pricing page",
        "A question to open with: “What is working well, and where could we aim higher?”",
        "Had the talk?",
        "[Yes]  [Later]",
    )
    assert "two accounts moved" not in dm  # notes stay in `/goal show`
    assert len(chat.dms("carol")) == 1  # Bob and Wei have no goals: nothing about them
    await chat.tick(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # run again the same month: nothing new
    assert len(chat.dms("carol")) == 1
    [talk] = await talk_ids(app)
    await chat.press("carol", action_id="goal.talk_later", value=str(talk))
    chat.expect_reply(
        "Fine, nothing is recorded. Press Yes on that message once you have talked with Alice Smith."
    )
    await chat.press("carol", action_id="goal.talk_held", value=str(talk))
    chat.expect_reply("Noted: you had this month's goal conversation with Alice Smith. Thank you.")
    await chat.press("carol", action_id="goal.talk_held", value=str(talk))
    chat.expect_reply(
        "Already noted: you had the goal conversation with Alice Smith for December 2026 on Tue 1 Dec 2026."
    )
    await chat.press("alice", action_id="goal.talk_held", value=str(talk))  # not hers to record
    chat.expect_reply("That goal conversation is not yours to record, or no longer here.")
    await chat.press("carol", action_id="goal.talk_held", value="x9")
    chat.expect_reply("That goal conversation is not yours to record, or no longer here.")


async def test_the_question_follows_the_goals_state(chat):
    await set_goals(chat)
    await set_goals(chat, "bob", number=2)
    await chat.send("alice", "/goal update 1.1 12")
    await chat.tick(DEC_1)
    about_alice, about_bob = chat.dms("carol")
    assert "Alice Smith" in about_alice and "“What is working well" in about_alice
    assert "Bob Brown" in about_bob and "#2 Ship billing v2 · behind" in about_bob
    assert "“What is getting in the way, and what would help most from me?”" in about_bob
    await chat.send("bob", "/goal update 2.1 12")
    await chat.tick(JAN_1)  # a month on: nothing updated for more than two weeks
    chat.expect_dm(
        "carol", "(January 2027)", "“Nothing has moved in two weeks: are these still the right goals"
    )
    assert len(chat.dms("carol")) == 4


async def test_in_chinese_for_a_manager_who_reads_chinese(chat, app):
    async with app.db.transaction() as session:
        await session.execute(update(Person).where(Person.handle == "carol").values(locale="zh-Hans"))
    await set_goals(chat, "wei")
    await chat.tick(DEC_1)
    dm = chat.expect_dm(
        "carol",
        "与张伟的月度目标谈话（2026年12月）。目标进展如下：",
        "#1 Ship billing v2 · 落后",
        "可以这样开场：“是什么在阻碍进展？我能提供什么帮助？”",
        "谈过了吗？",
        "[谈过了]  [稍后]",
    )
    assert "Monthly" not in dm
    [talk] = await talk_ids(app)
    await chat.press("carol", action_id="goal.talk_later", value=str(talk))
    chat.expect_reply("好的，暂不记录。与张伟谈过之后，在那条消息上点“谈过了”即可。")
    await chat.press("carol", action_id="goal.talk_held", value=str(talk))
    chat.expect_reply("已记录：你本月已与张伟进行目标谈话。谢谢。")
    await chat.press("carol", action_id="goal.talk_held", value=str(talk))
    chat.expect_reply("已经记录过了：你已于2026年12月1日（周二）与张伟进行了2026年12月的目标谈话。")


async def test_nobody_without_goals_or_without_a_manager_gets_one(chat):
    await set_goals(chat, "dan")  # Dan has no manager
    await chat.send("carol", "/goal add Hire two engineers")  # Carol has none either
    await chat.tick(DEC_1)
    await chat.tick(JAN_1)
    assert not any("Monthly goal conversation" in d.text for d in chat.deliveries)


async def test_a_goal_confirmed_for_next_cycle_is_talked_about_in_that_cycle(chat):
    await chat.send("carol", "/goal next @alice Lead the Q1 project")
    await chat.press("alice", action_id="goal.confirm", value="1")
    await chat.tick(DEC_1)
    assert not [dm for dm in chat.dms("carol") if "Monthly goal conversation" in dm]
    await chat.tick(JAN_1)
    chat.expect_dm(
        "carol", "Monthly goal conversation with Alice Smith (January 2027)", "#1 Lead the Q1 project"
    )


async def test_export_shows_the_talks_and_erasure_keeps_only_that_one_was_held(chat, app, org):
    await set_goals(chat)
    await chat.tick(DEC_1)
    [talk] = await talk_ids(app)
    await chat.press("carol", action_id="goal.talk_held", value=str(talk))
    async with app.db.read() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        theirs = await gather(session, org=org, person=alice, now=app.clock.now())
        mine = await gather(session, org=org, person=carol, now=app.clock.now())
    assert theirs["goal_conversations"] == [
        {
            "month": "2026-12",
            "role": "report",
            "with": "Carol Jones",
            "offered_at": "2026-12-01T10:00:00+00:00",
            "held_at": "2026-12-01T10:00:00+00:00",
        }
    ]
    assert (
        mine["goal_conversations"][0]["role"] == "manager"
        and mine["goal_conversations"][0]["with"] == "Alice Smith"
    )
    async with app.db.transaction() as session:
        await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="test"
        )
    dump = await every_cell(app)
    assert "Ship billing v2" not in dump and "Migrate customers" not in dump  # the DM that quoted them too
    async with app.db.read() as session:
        [kept] = list(await session.scalars(select(GoalConversation)))
    assert kept.held_at is not None  # a count for HR figures, with no words


async def test_a_report_who_moves_is_talked_about_with_the_new_manager_only(chat, app):
    await set_goals(chat)
    async with app.db.transaction() as session:
        dan = await session.scalar(select(Person.id).where(Person.handle == "dan"))
        await session.execute(update(Person).where(Person.handle == "alice").values(manager_id=dan))
    await chat.send("alice", "/goal update 1.1 12")  # progress plans Dan's monthly run too
    await chat.tick(DEC_1)  # 10:00 in London (Carol), and already 21:00 in Sydney (Dan)
    assert not [dm for dm in chat.dms("carol") if "Monthly goal conversation" in dm]
    chat.expect_dm("dan", "Monthly goal conversation with Alice Smith (December 2026)", "[Yes]  [Later]")
