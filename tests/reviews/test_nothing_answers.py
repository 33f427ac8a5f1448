"""An answer that says nothing ("无", "没有", "none", "nothing", "n/a") is not a support request or
evidence; the digest does show what was hard and every overdue action."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.answers import says_something


async def checkin(chat, who: str, *answers: str) -> None:
    """One check-in through the real form: mood, went well, hard, blocked (and blocker), learned,
    priorities, anything for the manager."""
    await chat.send(who, "/checkin")
    for answer in answers:
        await chat.send(who, answer)
    chat.expect_reply("saved" if who != "wei" else "已保存")


async def digest(chat, app) -> str:
    app.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("carol", "/review digest @alice")
    return chat.expect_reply("Review with Alice Smith")


async def test_nothing_answers_are_not_evidence_and_what_was_hard_is(chat, app):
    await checkin(
        chat,
        "alice",
        "4",
        "无",
        "Getting reviews from the API team",
        "yes",
        "n/a",
        "none",
        "N/A.",
        "Nothing!",
    )
    reply = await digest(chat, app)
    assert "What was hard, in check-ins:\n• Nov 24: “Getting reviews from the API team”" in reply
    for nothing in ("无", "n/a", "N/A.", "none", "Nothing!"):
        assert f"“{nothing}”" not in reply
    assert "Support asked for" not in reply
    assert "Asked you for support" not in reply
    assert "blocked by" not in reply
    assert "Reported done" not in reply
    assert "Priorities named" not in reply


async def test_a_real_support_request_still_is_one(chat, app):
    await checkin(
        chat,
        "alice",
        "3",
        "Shipped the importer",
        "没有",
        "no",
        "skip",
        "The launch",
        "More time with design",
    )
    reply = await digest(chat, app)
    chat.expect_reply("Support asked for in check-ins:\n• Nov 24: “More time with design”")
    assert "Asked you for support: “More time with design”" in reply
    assert "What was hard" not in reply


async def test_the_digest_shows_overdue_actions_even_without_an_earlier_review(chat, app):
    await chat.send("alice", "/action Draft the onboarding plan by 2026-11-25")
    await chat.send("carol", "/action @alice Book the training by 2026-12-20")
    reply = await digest(chat, app)
    assert "No earlier review in Rapport" in reply
    assert "1 open action is past its due date:\n⚠️ overdue since Nov 25: Draft the onboarding plan" in reply
    assert "1 action is past its due date: “Draft the onboarding plan” (due Nov 25)" in reply
    assert "Book the training" not in reply.split("Suggested agenda")[0].split("Lessons")[1]


@pytest.mark.parametrize(
    "answer",
    ["无", "没有", "没有。", "none", "None.", "nothing", "n/a", "N/A", "na", "-", "—", "  ", None, "暂无"],
)
def test_words_for_nothing_say_nothing(answer):
    assert not says_something(answer)


@pytest.mark.parametrize(
    "answer",
    [
        "No time for tests",
        "无法登录测试环境",
        "none of the builds pass",
        "没有文档",
        "n/a for now? no: the API",
    ],
)
def test_sentences_say_something(answer):
    assert says_something(answer)
