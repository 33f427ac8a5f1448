"""The meeting record people can rely on: fewer than two actions with a reason, a comment then a
confirmation, and a manager's amendment kept as history and confirmed again."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from store.action_models import ActionEvent, ActionItem
from store.migrate import alembic_config, downgrade, upgrade
from store.review_record_models import ReviewRecord

PARTS = ("Shipped the importer", "Good pace", "Plan smaller", "Wants to lead a project")


async def rows(app, model, *where):
    async with app.db.read() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def record_review(chat, app, actions: str) -> None:
    """Carol holds Alice's review on Dec 10 and types the record, with `actions`."""
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    app.clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in (*PARTS, "skip", "skip"):  # nothing carried into the next period
        await chat.send("carol", answer)
    await chat.send("carol", actions)


async def test_fewer_than_two_actions_need_a_reason_and_the_reason_is_kept(chat, app):
    await record_review(chat, app, "@alice Write the onboarding guide by 2026-12-15")
    chat.expect_reply("Please agree on 2 to 3 actions (I read 1)", "reason: she moves team in January")
    await chat.send(
        "carol",
        "@alice Write the onboarding guide by 2026-12-15; reason: she moves to the platform team in January",
    )
    await chat.send("carol", "skip")
    chat.expect_reply(
        "saved, with 1 agreed action.", "Fewer than two actions, because: she moves to the platform team"
    )
    chat.expect_dm(
        "alice",
        "• Alice Smith: Write the onboarding guide",
        "because: she moves to the platform team in January",
    )
    [record] = await rows(app, ReviewRecord)
    assert record.actions_reason == "she moves to the platform team in January"
    assert [a.title for a in await rows(app, ActionItem)] == ["Write the onboarding guide"]


async def test_no_action_at_all_with_a_reason_in_chinese(chat, app):
    await record_review(chat, app, "原因：本季度以交接为主")
    await chat.send("carol", "skip")
    chat.expect_reply("saved, with 0 agreed actions.", "None agreed.", "because: 本季度以交接为主")
    assert await rows(app, ActionItem) == []


async def test_she_can_confirm_after_commenting_and_not_answer_twice(chat, app):
    await record_review(
        chat, app, "@alice Write the guide by 2026-12-15; @carol Book the course by 2026-12-18"
    )
    await chat.send("carol", "skip")
    await chat.send("alice", "/review comment I'd add the onboarding work")
    chat.expect_reply("your comment is stored")
    chat.expect_dm(
        "carol", "Alice Smith commented on the record of your review: “I'd add the onboarding work”"
    )
    await chat.send("alice", "/review comment And the hiring")
    chat.expect_reply("commented on this record already. You can still confirm it")
    await chat.send("alice", "/review confirm")
    chat.expect_reply("your confirmation is stored")
    chat.expect_dm("carol", "Alice Smith confirmed the record of your review.")
    [record] = await rows(app, ReviewRecord)
    assert (record.response, record.comment) == ("confirmed", "I'd add the onboarding work")
    await chat.send("alice", "/review confirm")
    chat.expect_reply("already confirmed this record")


async def test_the_manager_amends_the_record_keeping_the_earlier_version_and_she_confirms_again(chat, app):
    await record_review(
        chat, app, "@alice Write the guide by 2026-12-15; @carol Book the course by 2026-12-18"
    )
    await chat.send("carol", "skip")
    await chat.send("alice", "/review comment The lessons miss the incident")
    [guide, course] = await rows(app, ActionItem)

    await chat.send("bob", "/review amend @alice")
    chat.expect_reply("Only Alice Smith's manager")
    await chat.send("carol", "/review amend @bob")
    chat.expect_reply("There is no record of a review of yours with Bob Brown to amend.")
    await chat.send("carol", "/review amend @alice")
    chat.expect_reply(
        "Amending the record", "Your current answer: Shipped the importer (type skip to keep it)"
    )
    for answer in (
        "skip",
        "skip",
        "Plan smaller; write down what the incident taught us",
        "skip",
        "skip",
        "skip",
    ):
        await chat.send("carol", answer)
    await chat.send(
        "carol", "@alice Write the guide by 2026-12-20; @alice Lead the incident review by 2027-01-10"
    )
    await chat.send("carol", "skip")
    chat.expect_reply("is amended; the earlier version is kept", "write down what the incident taught us")
    chat.expect_dm(
        "alice",
        "Carol Jones has amended the record of your review",
        "Changed: Lessons and improvements and Agreed actions.",
        "• Alice Smith: Lead the incident review",
    )

    [record] = await rows(app, ReviewRecord)
    assert (record.response, record.comment, record.responded_at) == ("pending", None, None)
    [earlier] = record.history
    assert (
        earlier["parts"]["lessons"] == "Plan smaller"
        and earlier["comment"] == "The lessons miss the incident"
    )
    assert earlier["response"] == "commented"
    assert [a["title"] for a in earlier["actions"]] == ["Write the guide", "Book the course"]
    actions = {a.id: a for a in await rows(app, ActionItem)}
    assert (actions[guide.id].status, actions[guide.id].due_on) == ("open", date(2026, 12, 20))
    assert actions[course.id].status == "dropped"
    [new] = [a for a in actions.values() if a.id not in (guide.id, course.id)]
    assert (new.title, new.status, new.source_ref) == ("Lead the incident review", "open", guide.source_ref)
    events = [(e.action_id, e.kind) for e in await rows(app, ActionEvent)]
    assert (guide.id, "edited") in events and (course.id, "dropped") in events

    await chat.send("alice", "/review confirm")
    chat.expect_reply("your confirmation is stored")
    await chat.send("carol", "/review history @alice")
    chat.expect_reply("write down what the incident taught us", "Amended on Thu 10 Dec 2026")


async def test_the_migration_adds_the_history_to_records_there_are_and_goes_back(chat, app, db):
    await record_review(
        chat, app, "@alice Write the guide by 2026-12-15; @carol Book the course by 2026-12-18"
    )
    await chat.send("carol", "skip")
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0021").down_revision
    try:
        await downgrade(db, before)
        async with db.read() as session:
            columns = (await session.execute(text("SELECT * FROM review_record"))).keys()
        assert "history" not in columns and "parts" in columns
    finally:
        await upgrade(db)
    [record] = await rows(app, ReviewRecord)
    assert (record.history, record.actions_reason, record.parts["goals"]) == ([], None, PARTS[0])
