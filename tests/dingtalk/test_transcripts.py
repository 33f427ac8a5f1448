"""Every command typed to the DingTalk robot, in English and in Chinese, as a newcomer would: what
comes back through the sessionWebhook, and what reaches the colleagues named."""

from __future__ import annotations

import pytest

# (who, what they type, whom they picked with @, what they read back)
TRANSCRIPTS = [
    ("bob", "/kudos @Alice Smith shipped the migration on time #ownership", ("alice",), "Alice Smith"),
    ("wei", "点赞 @Alice Smith 演示很棒", ("alice",), "Alice Smith"),
    ("bob", "/feedback @张伟 the demo was clear; next time show the numbers first", ("wei",), "张伟"),
    ("wei", "反馈 @Bob Brown 文档写得很清楚", ("bob",), "Bob Brown"),
    ("bob", "checkin", (), "How was your week"),
    ("wei", "签到", (), "这周"),
    ("carol", "/action @Bob Brown Draft the onboarding doc by friday", ("bob",), "Bob Brown"),
    ("wei", "行动 @Bob Brown 起草入职文档 截止 周五", ("bob",), "Bob Brown"),
    ("carol", "/review schedule @Alice Smith 2026-12-10 15:00", ("alice",), "Alice Smith"),
    ("carol", "面谈 安排 @张伟 12月10日 下午3点", ("wei",), "张伟"),
    ("bob", "/rapport timezone Asia/Shanghai", (), "Asia/Shanghai"),
    ("wei", "/rapport 时区 北京", (), "Asia/Shanghai"),
    ("bob", "help", (), "kudos"),
    ("wei", "帮助", (), "点赞"),
]


@pytest.mark.parametrize(("who", "text", "at", "expected"), TRANSCRIPTS, ids=[t[1][:24] for t in TRANSCRIPTS])
async def test_a_command_typed_to_the_robot(ding, who, text, at, expected):
    await ding.say(who, text, at=at)
    [reply] = ding.seen(who)
    assert expected in reply, reply


async def test_kudos_in_chinese_reaches_the_colleague_named_in_chinese(ding):
    await ding.say("bob", "/kudos @张伟 演示很棒 #ownership", at=("wei",))
    await ding.deliver()
    [dm] = ding.seen("wei")
    assert "Bob Brown" in dm and "演示很棒" in dm


async def test_a_name_typed_without_picking_it_is_asked_back(ding):
    await ding.say("bob", "/kudos @张三 thanks")
    [reply] = ding.seen("bob")
    assert "@张三" in reply
    await ding.deliver()
    assert [s for s in ding.fake.sent if s.api == "batch"] == []  # nobody was sent anything


async def test_a_typo_in_a_command_is_answered_politely(ding):
    await ding.say("bob", "/kudoz @Alice Smith thanks", at=("alice",))
    [reply] = ding.seen("bob")
    assert "kudos" in reply
