"""A check-in answered by typing, as people would: every control word, bad answers, restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.app import build_app
from store.checkin_models import FormSession, Signal
from store.models import Person
from tests.support import Chat


async def session_of(app, handle: str) -> FormSession:
    """The person's newest form session, as stored."""
    async with app.db.read() as session:
        return await session.scalar(
            select(FormSession)
            .join(Person, Person.id == FormSession.person_id)
            .where(Person.handle == handle)
            .order_by(FormSession.id.desc())
            .limit(1)
        )


async def answer(chat: Chat, handle: str, *lines: str) -> None:
    for line in lines:
        await chat.send(handle, line)


async def test_a_full_check_in_in_english(chat, app):
    await chat.send("alice", "/checkin")
    chat.expect_reply(
        "Let's do your check-in", "until Wed 25 Nov 2026, 18:00 (Europe/Berlin)", "(1/7) How was your week"
    )
    chat.expect_reply("[1] 😞 awful", "[5] 😄 great")
    await answer(chat, "alice", "4", "shipped the importer", "the flaky tests", "no", "pairing helps")
    await chat.send("alice", "finish the importer")
    chat.expect_reply("(7/7) Anything for your manager")
    await chat.send("alice", "more time for reviews")
    chat.expect_reply(
        "Thanks, your check-in is saved",
        "How was your week, from 1 to 5? → 4 🙂 good",
        "What was hard this week? → the flaky tests",
        "Are you blocked on anything? → No",
        "Anything for your manager, such as support you need? → more time for reviews",
        "change your answers until Wed 25 Nov 2026, 18:00",
    )
    row = await session_of(app, "alice")
    assert row.status == "done"
    assert row.answers == {
        "mood": 4,
        "went_well": "shipped the importer",
        "hard": "the flaky tests",
        "blocked": "no",
        "learned": "pairing helps",
        "priorities": "finish the importer",
        "for_manager": "more time for reviews",
    }
    chat.expect_no_dm("carol")


async def test_a_full_check_in_in_chinese(chat, app):
    await chat.send("wei", "/签到")
    chat.expect_reply("开始签到吧", "(1/7) 这周感觉怎么样", "[4] 🙂 不错")
    await chat.send("wei", "５")  # a full-width digit from a Chinese keyboard
    chat.expect_reply("(2/7) 哪些事情进展顺利")
    await answer(chat, "wei", "上线了新版本", "跳过", "是的")
    chat.expect_reply("(5/8) 是什么阻碍了你")
    await chat.send("wei", "等待测试环境")
    # The manager hears at once, not when the check-in is finished; Wei is told before the next question.
    chat.expect_dm("carol", "🚧 张伟 is blocked: 等待测试环境")
    chat.expect_reply("我已告诉 Carol Jones", "(6/8)")
    await answer(chat, "wei", "跳过", "完成迁移", "跳过")
    reply = chat.expect_reply("谢谢，签到已保存", "这周感觉怎么样？请打 1 到 5 分。 → 5 😄 很好")
    assert "我已告诉" not in reply  # said once
    assert len(chat.dms("carol")) == 1
    row = await session_of(app, "wei")
    assert row.answers["hard"] is None and row.answers["blocked"] == "yes"


async def test_bad_answers_are_asked_again_with_a_hint_and_nothing_is_lost(chat, app):
    await chat.send("bob", "/checkin")
    for bad, hint in [("7", "number from 1 to 5"), ("great", "number from 1 to 5"), ("0", "from 1 to 5")]:
        await chat.send("bob", bad)
        chat.expect_reply(hint, "(1/7) How was your week")
    await answer(chat, "bob", "3", "x" * 1001)
    chat.expect_reply("1001 characters long", "limit here is 1000", "(2/7) What went well")
    await answer(chat, "bob", "   ")
    chat.expect_reply("(2/7) What went well")
    await answer(chat, "bob", "demo went well", "skip", "perhaps")
    chat.expect_reply("Please answer yes or no.", "(4/7) Are you blocked")
    row = await session_of(app, "bob")
    assert row.answers == {"mood": 3, "went_well": "demo went well", "hard": None}
    assert row.status == "open"


async def test_required_questions_cannot_be_skipped_and_do_not_offer_it(chat):
    await chat.send("bob", "/checkin")
    assert "skip" not in chat.expect_reply("(1/7) How was your week", "You can also type back, cancel or help.")
    await chat.send("bob", "skip")
    chat.expect_reply("needs an answer, so it can't be skipped", "(1/7) How was your week")
    await answer(chat, "bob", "4", "shipped")
    chat.expect_reply("(3/7) What was hard", "Type your answer, or skip if you'd rather not say.")
    await chat.send("wei", "/签到")
    assert "跳过" not in chat.expect_reply("(1/7)", "请输入你的回答。也可以输入 上一步、取消 或 帮助。")
    await answer(chat, "bob", "skip", "no", "skip", "docs", "skip", "/checkin")
    chat.expect_reply("(1/7) How was your week", "Your current answer: 4 🙂 good (type skip to keep it)")


async def test_back_returns_to_the_previous_question_and_shows_the_answer(chat, app):
    await chat.send("bob", "/checkin")
    await chat.send("bob", "back")
    chat.expect_reply("first question, so there is nothing to go back to")
    await answer(chat, "bob", "2", "back")
    chat.expect_reply("(1/7) How was your week", "Your current answer: 2 🙁 hard")
    await chat.send("bob", "上一步")
    chat.expect_reply("nothing to go back to")
    await chat.send("bob", "skip")  # keeps the earlier answer
    chat.expect_reply("(2/7) What went well")
    assert (await session_of(app, "bob")).answers == {"mood": 2}


async def test_a_changed_yes_drops_the_answer_it_made_relevant(chat, app):
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "4", "a", "b", "yes", "back", "no")
    chat.expect_reply("(5/7) What did you learn?")
    await answer(chat, "bob", "c", "d", "e")
    chat.expect_reply("saved")
    assert "blocker" not in (await session_of(app, "bob")).answers
    chat.expect_no_dm("carol")  # a yes taken back before saying what blocks tells nobody


async def test_the_manager_hears_of_a_blocker_as_soon_as_it_is_typed(chat, app):
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "4", "a", "b", "yes")
    chat.expect_no_dm("carol")
    await chat.send("bob", "the build")
    chat.expect_dm("carol", "Bob Brown is blocked: the build")  # the check-in is not finished yet
    chat.expect_reply("I've let Carol Jones know", "(6/8)")
    assert (await session_of(app, "bob")).status == "open"


async def test_help_explains_the_control_words_at_any_step(chat):
    await chat.send("bob", "/checkin")
    await chat.send("bob", "help")
    chat.expect_reply("skip: go on without answering", "back:", "cancel:", "(1/7) How was your week")
    await chat.send("wei", "/checkin")
    await chat.send("wei", "帮助")
    chat.expect_reply("跳过：不回答", "(1/7) 这周感觉怎么样")


async def test_cancel_keeps_the_answers_and_checkin_carries_on(chat, app):
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "5", "cancel")
    chat.expect_reply("Stopped. What you answered so far is kept")
    await chat.send("bob", "hello")
    chat.expect_reply("I only understand commands")  # no form waits for free text any more
    await chat.send("bob", "/checkin")
    chat.expect_reply("carry on", "(2/7) What went well")
    await chat.send("wei", "/checkin")
    await chat.send("wei", "取消")
    chat.expect_reply("已停止")


async def test_a_restart_between_two_answers_loses_nothing(chat, app, db, clock):
    await chat.send("alice", "/checkin")
    await answer(chat, "alice", "4", "shipped it")
    restarted = build_app(app.settings, clock=clock, db=db)  # a new process: nothing kept in memory
    chat2 = Chat(app=restarted, org="acme")
    await chat2.open()
    await chat2.send("alice", "the tests")
    chat2.expect_reply("(4/7) Are you blocked")
    await answer(chat2, "alice", "no", "skip", "plan", "skip")
    chat2.expect_reply("saved", "What went well? Anything you're proud of? → shipped it")


async def test_buttons_answer_the_current_step_and_old_ones_say_already_answered(chat, app):
    await chat.send("alice", "/checkin")
    row = await session_of(app, "alice")
    await chat.press("alice", action_id="form:answer", value=f"{row.id}:0/5")
    chat.expect_reply("(2/7) What went well")
    await chat.press("alice", action_id="form:answer", value=f"{row.id}:0/1")
    chat.expect_reply("already answered")
    assert (await session_of(app, "alice")).answers == {"mood": 5}
    await answer(chat, "alice", "x", "y")
    await chat.press("alice", action_id="form:answer", value=f"{row.id}:3/no")
    chat.expect_reply("(5/7) What did you learn?")
    await chat.press("bob", action_id="form:answer", value=f"{row.id}:4/hacked")
    chat.expect_reply("already answered")
    assert "learned" not in (await session_of(app, "alice")).answers


async def test_a_finished_check_in_can_be_edited_within_its_window(chat, app, clock):
    await chat.send("alice", "/checkin")
    await answer(chat, "alice", "2", "a", "skip", "no", "skip", "p", "skip")
    chat.expect_reply("saved")
    clock.advance(timedelta(hours=3))
    await chat.send("alice", "/checkin")
    chat.expect_reply("open for changes until Wed 25 Nov 2026, 18:00", "Your current answer: 2 🙁 hard")
    await answer(chat, "alice", "4", "skip", "skip", "skip", "skip", "skip", "skip")
    chat.expect_reply("saved", "→ 4 🙂 good", "What went well? Anything you're proud of? → a")
    assert (await session_of(app, "alice")).answers["mood"] == 4


async def test_sessions_expire_at_the_end_of_the_window(chat, app, clock):
    await chat.send("alice", "/checkin")
    await answer(chat, "alice", "3")
    clock.advance(timedelta(days=2))  # past Wednesday 18:00 in Berlin
    await chat.send("alice", "went fine")
    chat.expect_reply("This form has closed")
    assert (await session_of(app, "alice")).status == "expired"
    await chat.send("alice", "hello again")
    chat.expect_reply("I only understand commands")


async def test_a_blocker_taken_back_is_withdrawn_and_the_manager_told(chat, app):
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "3", "a", "skip", "yes", "no access to prod")
    chat.expect_dm("carol", "Bob Brown is blocked: no access to prod")
    await answer(chat, "bob", "back", "back", "no", "p", "q", "skip")  # sorted out after all
    chat.expect_reply("saved", "I've let Carol Jones know that you're no longer blocked")
    chat.expect_dm(
        "carol", "Bob Brown is no longer blocked (they changed their check-in). It was: no access to prod"
    )
    async with app.db.read() as session:
        assert list(await session.scalars(select(Signal))) == []  # not evidence for the review any more
    await chat.send("bob", "/checkin")  # an edit that still says no tells nobody again
    await answer(chat, "bob", *["skip"] * 7)
    chat.expect_reply("saved")
    assert len(chat.dms("carol")) == 2


async def test_messages_in_a_channel_do_not_answer_the_form(chat, app):
    await chat.send("alice", "/checkin")
    await chat.send("alice", "4", channel="#general")
    assert (await session_of(app, "alice")).answers == {}


async def test_a_blocker_is_recorded_once_even_after_an_edit(chat, app):
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "3", "a", "skip", "yes", "no access to prod")
    chat.expect_reply("I've let Carol Jones know")
    chat.expect_dm("carol", "Bob Brown is blocked: no access to prod")
    await chat.send("bob", "back")  # going back and answering the blocker again tells nobody twice
    await answer(chat, "bob", "still no access to prod", "skip", "p", "skip")
    chat.expect_reply("saved")
    assert len(chat.dms("carol")) == 1
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", *["skip"] * 8)
    chat.expect_reply("saved")
    assert len(chat.dms("carol")) == 1
    async with app.db.read() as session:
        assert [s.kind for s in await session.scalars(select(Signal))] == ["blocked"]


async def test_cancelling_a_change_to_a_finished_check_in_keeps_it_as_finished(chat, app):
    """Bob opened his finished check-in to change it, then thought better of it: nothing changed, and
    his record does not say he cancelled a check-in he completed."""
    await chat.send("bob", "/checkin")
    await answer(chat, "bob", "4", "shipped", "skip", "no", "skip", "docs", "Please push infra on CI")
    finished = await session_of(app, "bob")
    await chat.send("bob", "/checkin")
    chat.expect_reply("open for changes until")
    await answer(chat, "bob", "2", "nothing went well")  # changed two answers, then stopped
    await chat.send("bob", "cancel")
    assert chat.replies[-1] == "Check-in: Stopped. Nothing changed: your answers stay as you finished them."
    row = await session_of(app, "bob")
    assert (row.status, row.answers, row.completed_at) == ("done", finished.answers, finished.completed_at)
    await chat.send("bob", "/checkin")  # and it can still be changed, from the answers as finished
    await chat.send("bob", "取消")
    assert (await session_of(app, "bob")).answers["mood"] == 4
    await chat.send("wei", "/签到")
    await answer(chat, "wei", "5", "上线", "跳过", "否", "跳过", "文档", "跳过", "/签到", "取消")
    assert chat.replies[-1] == "签到：已停止。没有任何改动：你的回答保持完成时的样子。"
    assert (await session_of(app, "wei")).status == "done"


async def test_a_change_left_unfinished_when_the_window_closes_keeps_the_check_in_as_finished(chat, app):
    await chat.send("alice", "/checkin")
    await answer(chat, "alice", "4", "a", "b", "no", "c", "d", "e")
    await chat.send("alice", "/checkin")
    await chat.send("alice", "1")
    row = await session_of(app, "alice")
    await chat.tick(row.expires_at + timedelta(minutes=1))
    await chat.send("alice", "still here")
    row = await session_of(app, "alice")
    assert (row.status, row.answers["mood"]) == ("done", 4)


async def test_a_number_written_in_chinese_or_in_words_is_a_number(chat, app):
    await chat.send("wei", "/签到")
    await chat.send("wei", "三")
    chat.expect_reply("(2/7)")
    assert (await session_of(app, "wei")).answers == {"mood": 3}
    await chat.send("bob", "/checkin")
    await chat.send("bob", "a")  # not "one"
    chat.expect_reply("Please answer with a number from 1 to 5.")
    await chat.send("bob", "four")
    assert (await session_of(app, "bob")).answers == {"mood": 4}
    await chat.send("alice", "/checkin")
    await chat.send("alice", "六")
    chat.expect_reply("from 1 to 5")
