"""Private feedback: who sees it, sharing with the manager, thanks and one reply, limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.access import can_view_feedback
from bot.events import Action, Actor, Channel
from store import people
from store.feedback_models import Feedback
from store.models import Organisation, Person


async def stored(app) -> list[Feedback]:
    async with app.db.read() as session:
        return list(await session.scalars(select(Feedback).order_by(Feedback.id)))


def press(handle: str, action_id: str, value: str, event_id: str) -> Action:
    actor = Actor(
        platform="console", org="acme", user_id=f"{handle}@example.com", email=f"{handle}@example.com"
    )
    return Action(actor=actor, channel=Channel(id="dm"), action_id=action_id, value=value, event_id=event_id)


async def test_private_feedback_reaches_only_its_recipient(chat, app):
    await chat.send("bob", "/feedback @alice Your demo was clear; next time leave more time for questions")
    chat.expect_reply(
        "Feedback sent to Alice Smith. Only Alice Smith will see it.", "[Share with Carol Jones]"
    )
    chat.expect_dm(
        "alice", "Bob Brown gave you feedback: Your demo was clear; next time leave more time", "[Thank]"
    )
    chat.expect_no_dm("carol")
    [item] = await stored(app)
    assert item.shared_with_id is None


async def test_shared_feedback_names_exactly_who_will_see_it(chat, app):
    await chat.send("bob", "/feedback @alice Great facilitation of the retro --share-with-manager")
    chat.expect_reply("Alice Smith and their manager Carol Jones will see it; nobody else.")
    chat.expect_dm("alice", "Great facilitation of the retro", "shared it with your manager, Carol Jones")
    chat.expect_dm("carol", "Bob Brown gave Alice Smith feedback and shared it with you: Great facilitation")
    chat.expect_no_dm("dan")


async def test_the_share_button_shares_once_and_only_for_the_giver(chat, app):
    await chat.send("bob", "/feedback @alice Great facilitation of the retro")
    reply = await app.core.handle(press("alice", "feedback.share", "1", "e1"))
    assert "Only the person who gave feedback #1 can share it." in reply.plain_text()
    reply = await app.core.handle(press("bob", "feedback.share", "1", "e2"))
    assert "Shared with Carol Jones. Now Alice Smith and Carol Jones can see it." in reply.plain_text()
    reply = await app.core.handle(press("bob", "feedback.share", "1", "e3"))
    assert "already shared with Carol Jones" in reply.plain_text()
    await chat.send("bob", "/feedback list")  # deliver what the presses queued
    chat.expect_dm("carol", "shared it with you")


async def test_someone_without_a_manager_is_told_only_they_will_see_it(chat):
    await chat.send("bob", "/feedback @carol Thanks for the clear priorities --share-with-manager")
    chat.expect_reply("Only Carol Jones will see it.", "Carol Jones has no manager in Rapport")


async def test_thanks_and_one_reply_go_back_to_the_giver(chat, app):
    await chat.send("bob", "/feedback @wei 代码评审写得很仔细，下次可以先写结论")
    chat.expect_dm("wei", "Bob Brown 给了你反馈：代码评审写得很仔细", "/feedback reply 1")
    await chat.send("wei", "/feedback thank 1")
    chat.expect_reply("已把你的感谢转达给 Bob Brown。")
    chat.expect_dm("bob", "张伟 thanked you for your feedback.")
    await chat.send("wei", "/feedback thank 1")
    chat.expect_reply("你已经为反馈 #1 感谢过 Bob Brown。")
    await chat.send("wei", "/feedback reply 1 谢谢，我会先写结论")
    chat.expect_dm("bob", "张伟 replied to your feedback: 谢谢，我会先写结论")
    await chat.send("wei", "/feedback reply 1 还有一点")
    chat.expect_reply("回复只能发送一次")
    assert (await stored(app))[0].reply == "谢谢，我会先写结论"


async def test_only_the_recipient_thanks_or_replies(chat):
    await chat.send("bob", "/feedback @alice Great facilitation of the retro")
    await chat.send("bob", "/feedback reply 1 hello")
    chat.expect_reply("Only the person who received feedback #1 can do that.")
    await chat.send("carol", "/feedback thank 1")
    chat.expect_reply("There is no feedback #1 that you can see.")


async def test_lists_show_ones_own_feedback(chat):
    await chat.send("bob", "/feedback @alice Great facilitation of the retro")
    await chat.send("alice", "/feedback @bob Thanks for the quick reviews")
    await chat.send("alice", "/feedback list")
    reply = chat.expect_reply(
        "Feedback you received", "#1 from Bob Brown", "Feedback you gave", "#2 to Bob Brown"
    )
    await chat.send("carol", "/feedback list")
    assert "Great facilitation" not in chat.expect_reply("Feedback you received", "None yet.")
    assert "shared with you" not in chat.replies[-1]  # nothing shared with Carol: no such heading
    assert reply


async def test_a_manager_lists_the_feedback_shared_with_them_and_no_other(chat):
    await chat.send("bob", "/feedback @alice Great facilitation of the retro --share-with-manager")
    await chat.send("wei", "/feedback @alice 评审很仔细")  # not shared
    await chat.send("erin", "/feedback @dan Clear goals --share-with-manager")  # Dan has no manager
    await chat.send("carol", "/feedback list")
    reply = chat.expect_reply(
        "Feedback about your team, shared with you",
        "#1 from Bob Brown to Alice Smith, Tue 24 Nov 2026: Great facilitation of the retro",
    )
    assert "评审很仔细" not in reply and "Clear goals" not in reply
    await chat.send("alice", "/feedback list")
    assert "shared with you" not in chat.expect_reply("#1 from Bob Brown", "#2 from 张伟")


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/feedback Nice work", "Who is the feedback for?"),
        ("/feedback @alice @bob Nice work", "one person at a time"),
        ("/feedback @bob Nice work on the demo", "Feedback is for someone else"),
        ("/feedback @alice ok", "at least 3 characters"),
        ("/feedback @alice " + "x" * 2001, "2001 characters long"),
        ("/feedback @zed Nice work", "couldn't find @zed"),
        ("/feedback thank one", "Please give the feedback's number"),
    ],
)
async def test_mistakes_get_a_clear_answer_and_nothing_is_stored(chat, app, text, answer):
    await chat.send("bob", text)
    chat.expect_reply(answer)
    assert await stored(app) == []


async def test_the_daily_cap_counts_kudos_and_feedback_together(chat, app, org):
    async with app.db.transaction() as session:
        (await session.get(Organisation, org.id)).daily_give_cap = 3
    await chat.send("bob", "/kudos @alice great demo")
    await chat.send("bob", "/feedback @alice Great facilitation of the retro")
    await chat.send("bob", "/kudos @wei thanks for the review")
    await chat.send("bob", "/feedback @wei Clear code review comments")
    chat.expect_reply("You have given 3 kudos and pieces of feedback today")
    await chat.send("bob", "/kudos @carol thanks")
    chat.expect_reply("You have given 3")
    assert len(await stored(app)) == 1


ROLES = ["giver", "recipient", "recipients_manager", "another_manager", "peer"]


@pytest.mark.parametrize("shared", [False, True])
async def test_visibility_matrix(app, org, shared):
    """bob gives alice feedback; carol manages alice; dan manages another team; wei is a peer."""
    async with app.db.read() as session:
        everyone = {p.handle: p for p in await people.all_in_org(session, org_id=org.id)}
    item = Feedback(
        org_id=org.id,
        giver_id=everyone["bob"].id,
        recipient_id=everyone["alice"].id,
        text="x",
        shared_with_id=everyone["carol"].id if shared else None,
    )
    viewers = {
        "giver": everyone["bob"],
        "recipient": everyone["alice"],
        "recipients_manager": everyone["carol"],
        "another_manager": everyone["dan"],
        "peer": everyone["wei"],
    }
    expected = {
        "giver": True,
        "recipient": True,
        "recipients_manager": shared,
        "another_manager": False,
        "peer": False,
    }
    assert {role: can_view_feedback(viewers[role], item) for role in ROLES} == expected
    outsider = Person(id=everyone["bob"].id, org_id=org.id + 1)
    assert not can_view_feedback(outsider, item)


async def test_two_or_three_chinese_characters_are_whole_feedback(chat, app):
    await chat.send("wei", "/feedback @bob 谢谢")
    chat.expect_reply("已把反馈发给 Bob Brown")
    await chat.send("wei", "/feedback @alice 辛苦了")
    chat.expect_reply("已把反馈发给 Alice Smith")
    await chat.send("wei", "/action 改版")
    chat.expect_reply("改版")
    assert [f.text for f in await stored(app)] == ["谢谢", "辛苦了"]


async def test_a_list_dates_feedback_by_the_readers_calendar(chat, clock):
    """Given at 23:30 UTC on Tuesday: Wednesday for 张伟 in Shanghai, Tuesday for Bob in New York."""
    clock.advance(timedelta(hours=14, minutes=30))
    await chat.send("bob", "/feedback @wei Clear notes from the planning meeting")
    await chat.send("bob", "/feedback list")
    chat.expect_reply("#1 to 张伟, Tue 24 Nov 2026: Clear notes from the planning meeting")
    await chat.send("wei", "/feedback list")
    chat.expect_reply("2026年11月25日")
