"""After an erasure the erased person's open actions are dropped (reason: erased): nobody is reminded
"to —", team lists carry no empty rows, nothing stays overdue, and whoever set them is told once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.features.privacy.erase import erase_person
from store import actions, people


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def test_an_erased_persons_open_actions_are_dropped_and_their_creators_told(chat, app, org):
    await chat.send("carol", "/action @alice write the runbook by 2026-12-04")
    await chat.send("carol", "/action @alice review the alerts by 2026-12-11")
    await chat.send("wei", "/action @alice 更新文档 by 2026-12-04")
    await chat.send("alice", "/action tidy my notes by 2026-12-04")
    await chat.send("bob", "/action fix the build by 2026-12-04")
    async with app.db.transaction() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        assert await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="test"
        )
    await chat.send("carol", "/action list team")
    team = chat.expect_reply("#5 Bob Brown", "fix the build")
    assert "—" not in team and "#1" not in team and "#2" not in team
    chat.expect_dm(
        "carol",
        "2 actions you set for someone, #1 (due Fri 4 Dec 2026) and #2 (due Fri 11 Dec 2026), are dropped",
    )
    chat.expect_dm(
        "wei",
        "你为别人设定的 1 项行动 #3（截止 2026年12月4日（周五））",
        "已放弃：负责人的数据已从 Rapport 中删除",
    )
    await chat.send("carol", "/action show 1")
    chat.expect_reply("dropped, as its owner's data was erased")

    sent = len(chat.deliveries)
    await chat.tick(utc(2026, 12, 7, 15, 30))  # the Monday after they fell due: only Bob's is overdue
    await chat.tick(utc(2026, 12, 14, 15, 30))
    late = [d for d in chat.deliveries[sent:] if "overdue" in d.text]
    assert late and all(d.recipient == "bob@example.com" for d in late)
    async with app.db.read() as session:
        still_open = await actions.owned_by(session, org_id=org.id, owner_ids=[alice.id])
    assert still_open == []
