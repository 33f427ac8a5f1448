"""A command typed while a form is open acts as the command, whatever the form and the language: it is
never stored as the answer (Priya's `answer 1` became her anonymous feedback)."""

from __future__ import annotations

import pytest

from tests.forms.conftest import KINDS, Inbox


async def open_form(inbox: Inbox, key: str) -> None:
    """Form `key` is the one Alice is answering (a feedback request from Bob waits behind it, #1)."""
    if key == "feedback_request":
        await inbox.arrive(key)
        return
    await inbox.arrive(key)
    await inbox.chat.send("bob", "/feedback request @alice")


@pytest.mark.parametrize("key", list(KINDS))
@pytest.mark.parametrize("typed", ["answer 1", "feedback answer 1", "/feedback answer 1", "Answer #1"])
async def test_answer_n_typed_in_any_form_opens_the_request_and_is_not_an_answer(inbox, key, typed):
    await open_form(inbox, key)
    before = dict((await inbox.session(key)).answers)
    reply = await inbox.chat.send("alice", typed)
    assert "(1/4) What situation are you thinking of?" in reply
    assert typed not in reply
    assert (await inbox.session(key)).answers == before
    assert "answer 1" not in str((await inbox.session("feedback_request")).answers).lower()


@pytest.mark.parametrize("key", ["checkin", "self_review", "feedback_request"])
async def test_a_listing_command_without_its_slash_shows_the_list(inbox, key):
    await open_form(inbox, key)
    reply = await inbox.chat.send("alice", "feedback requests")
    assert "Feedback you were asked for" in reply and "#1 from Bob Brown" in reply
    assert "feedback requests" not in str((await inbox.session(key)).answers)


async def test_words_that_start_like_a_command_stay_an_answer(inbox):
    await inbox.arrive("self_review")
    reply = await inbox.chat.send("alice", "Review schedule slipped by a week")
    assert reply.startswith("Self-review:") and "(2/9)" in reply
    assert (await inbox.session("self_review")).answers["achievements"] == "Review schedule slipped by a week"
    await inbox.chat.send("alice", "answer 1 of the audit was late")  # a sentence, not `answer N`
    assert (await inbox.session("self_review")).answers["difficulties"] == "answer 1 of the audit was late"


async def test_in_chinese_the_command_acts_too(chat):
    await chat.send("wei", "/签到")
    await chat.send("bob", "/feedback request @wei")
    reply = await chat.send("wei", "回答 1")
    assert "(1/4) 你想到的是什么情境？" in reply
    reply = await chat.send("wei", "反馈 请求列表")
    assert "#1，来自 Bob Brown" in reply


async def test_a_command_in_the_middle_of_a_form_reminds_what_the_next_line_answers(chat):
    """Priya checks her list in the middle of a form: the list, then which question her next line answers."""
    await chat.send("bob", "/feedback request @alice")
    await chat.send("alice", "The sprint review")
    reply = await chat.send("alice", "/feedback requests")
    assert reply.startswith("Your feedback requests")
    assert "• #1 from Bob Brown: you're answering it now (your next line answers its question)" in reply
    assert reply.endswith(
        "Feedback request is still open: (2/4) What did they do there? Describe one concrete behaviour, "
        "with an example. Your next line answers it; type `later` to put it aside."
    )
    await chat.send("wei", "/签到")
    reply = await chat.send("wei", "/action list")
    assert "签到还没填完：(1/7) 这周感觉怎么样" in reply and "输入 `稍后` 可以先放一边。" in reply
    reply = await chat.send("carol", "/action list")  # nothing open: nothing added
    assert "still open" not in reply
