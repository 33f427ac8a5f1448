"""A notice is written in its reader's language, whoever acted: the days and fragments in it too. What
people typed (an action's title) stays as typed. And snoozing only postpones."""

from __future__ import annotations


async def test_an_english_reader_gets_english_dates_when_a_chinese_speaker_acts(chat):
    await chat.send("bob", "/action @wei 写迁移文档 by 2026-12-18")
    await chat.send("wei", "/action accept 1")
    await chat.send("wei", "/action snooze 1 until 2026-12-22")
    chat.expect_reply("行动项 #1 的截止日期改为 2026年12月22日（周二）。")
    assert chat.dms("bob")[-1] == "张伟 moved action #1 to Tue 22 Dec 2026: 写迁移文档."
    await chat.send("wei", "/action edit 1 by 月底")
    chat.expect_reply("行动项 #1 现在是：写迁移文档，截止 2026年11月30日（周一）。")
    assert chat.dms("bob")[-1] == "张伟 changed action #1: 写迁移文档, due Mon 30 Nov 2026."


async def test_a_chinese_reader_gets_chinese_dates_when_an_english_speaker_acts(chat):
    await chat.send("carol", "/action @wei Translate the guide by 2026-12-04")
    await chat.send("carol", "/action snooze 1 until 2026-12-11")
    assert chat.dms("wei")[-1] == "Carol Jones 把行动项 #1 推迟到 2026年12月11日（周五）：Translate the guide。"
    await chat.send("carol", "/action edit 1 by 2026-12-10")
    assert chat.dms("wei")[-1] == "Carol Jones 修改了行动项 #1：Translate the guide，截止 2026年12月10日（周四）。"


async def test_snooze_to_an_earlier_day_is_refused_and_points_to_edit(chat):
    await chat.send("wei", "/action 写迁移文档 截止 2026-12-25")
    await chat.send("wei", "/action snooze 1 until 明天")
    chat.expect_reply(
        "2026年11月25日（周三） 早于行动项 #1 的截止日期 2026年12月25日（周五）：推迟只能往后推。"
        "要提前，请用 `/action edit 1 by 2026-11-25`。"
    )
    await chat.send("wei", "/action snooze 1 until 2026-12-25")
    chat.expect_reply("行动项 #1 的截止日期已经是 2026年12月25日（周五）。")
    await chat.send("bob", "/action Draft the doc by 2026-12-25")
    await chat.send("bob", "/action snooze 2 until tomorrow")
    chat.expect_reply(
        "Wed 25 Nov 2026 is before action #2's due date, Fri 25 Dec 2026: snoozing only moves it later. "
        "To bring it forward, use `/action edit 2 by 2026-11-25`."
    )
    await chat.send("bob", "/action show 2")
    chat.expect_reply("due Fri 25 Dec 2026")
    await chat.send("bob", "/action edit 2 by 2026-11-25")
    chat.expect_reply("Action #2 now reads: Draft the doc, due Wed 25 Nov 2026.")
