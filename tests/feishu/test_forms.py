"""A check-in over Feishu: its first question comes as a card with buttons; a press answers in the
callback by replacing that card with the next question; typed answers work too."""

from __future__ import annotations

from tests.feishu.conftest import buttons_of


async def test_a_check_in_answered_with_a_button_then_by_typing(feishu):
    await feishu.say("alice", "/checkin")
    await feishu.deliver()
    (card,) = [s for s in feishu.fake.sent if buttons_of(s)]
    assert "(1/7) How was your week" in card.text

    labels = [b["text"]["content"] for b in buttons_of(card)]
    answer = await feishu.press("alice", labels[3])
    updated = answer["card"]["data"]
    assert updated["schema"] == "2.0"
    assert "(2/7)" in str(updated), "the card moved on to the next question in place"

    await feishu.say("alice", "shipped the importer")
    await feishu.deliver()
    assert "(3/7)" in feishu.seen("alice")[-1]


async def test_a_check_in_in_chinese(feishu):
    await feishu.say("wei", "/checkin")
    await feishu.deliver()
    first = feishu.seen("wei")
    assert any("(1/" in text for text in first)
    assert not any("How was your week" in text for text in first)


async def test_a_press_on_an_old_question_says_so_in_the_card(feishu):
    await feishu.say("bob", "/checkin")
    await feishu.deliver()
    await feishu.say("bob", "4")
    await feishu.deliver()
    answer = await feishu.press("bob", next(b["text"]["content"] for s in feishu.got("bob") for b in buttons_of(s)))
    assert "already answered" in str(answer["card"]["data"])
