"""Delivering outbox messages to DingTalk through the shared worker: batchSend by 20, throttled
recipients retried alone, an expired token fetched again, unknown staff ids failed with their reason,
long messages split, outages waited out."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from adapters.dingtalk.openapi import DingTalkApi
from adapters.dingtalk.platform import DingTalkPlatform
from bot.replies import Reply
from store import outbox, people
from store.models import OutboxMessage
from tests.support import seed_org

PEOPLE = 1_000


async def _platform(app, settings) -> DingTalkPlatform:
    return DingTalkPlatform(runtime=app, settings=settings, api=DingTalkApi(settings=settings))


async def _team(app, dingtalk, *, size: int) -> tuple[int, list[int]]:
    """An organisation of `size` people on DingTalk, staff ids p0000…; their person ids."""
    org = await seed_org(app, slug="acme", values=["ownership"])
    ids = []
    async with app.db.transaction() as session:
        for n in range(size):
            staff = f"p{n:04d}"
            person = await people.create(
                session, org_id=org.id, display_name=f"Person {n}", email=f"{staff}@example.com",
                handle=staff, timezone="Asia/Shanghai", locale="zh-Hans", now=app.clock.now(),
            )  # fmt: skip
            await people.add_identity(session, org_id=org.id, person_id=person.id, platform="dingtalk", user_id=staff)
            dingtalk.users[staff] = {"name": f"Person {n}", "email": f"{staff}@example.com"}
            ids.append(person.id)
    return org.id, ids


async def _queue(app, org_id: int, person_ids: list[int], reply: Reply) -> None:
    messages = [
        {"kind": "dm", "recipient_id": pid, "platform": "dingtalk", "payload": reply.to_dict()} for pid in person_ids
    ]
    async with app.db.transaction() as session:
        await outbox.enqueue_many(session, org_id=org_id, messages=messages, now=app.clock.now())


async def _deliver_all(app, platform, clock, *, rounds: int = 20) -> list:
    """The worker's batches until nothing is left to send, the clock moved past each wait."""
    outcomes = []
    for _ in range(rounds):
        outcomes += await platform.worker.run_once()
        if not await _pending(app):
            break
        clock.advance(timedelta(seconds=2))  # past DingTalk's throttling
    return outcomes


async def _pending(app) -> int:
    async with app.db.read() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.status != "sent"))
        return len(list(rows))


async def test_a_fan_out_to_a_thousand_is_batched_by_20_and_each_dm_goes_once_under_throttling(
    app, clock, dingtalk, dingtalk_settings
):
    org_id, ids = await _team(app, dingtalk, size=PEOPLE)
    await _queue(app, org_id, ids, Reply.text("本周的签到开始了"))
    dingtalk.flow_control(45)  # DingTalk holds back 45 recipients of the first calls
    dingtalk.qps_limit(2)  # and refuses two calls outright
    platform = await _platform(app, dingtalk_settings)
    try:
        outcomes = await _deliver_all(app, platform, clock)
    finally:
        await platform.close()
    batches = [body for kind, body in dingtalk.calls if kind == "batch"]
    assert max(len(b["userIds"]) for b in batches) == 20
    assert len(batches) <= PEOPLE // 20 + 45 + 2  # batched; only the throttled were sent again
    received = Counter(s.to for s in dingtalk.sent if s.api == "batch")
    assert len(received) == PEOPLE and set(received.values()) == {1}
    assert await _pending(app) == 0
    statuses = Counter(o.status for o in outcomes)
    assert statuses == {"sent": PEOPLE, "retry": 45 + 2 * 20}  # the throttled, and two refused calls


async def test_an_expired_token_is_fetched_again_and_the_message_sent(app, clock, dingtalk, dingtalk_settings):
    org_id, ids = await _team(app, dingtalk, size=1)
    platform = await _platform(app, dingtalk_settings)
    await _queue(app, org_id, ids, Reply.text("first"))
    await platform.worker.run_once()
    dingtalk.expire_tokens()
    await _queue(app, org_id, ids, Reply.text("second"))
    outcomes = await platform.worker.run_once()
    await platform.close()
    assert [o.status for o in outcomes] == ["sent"]
    assert dingtalk.token_fetches == 2
    assert [s.text for s in dingtalk.sent] == ["first", "second"]


async def test_an_unknown_staff_id_fails_at_once_with_its_reason(app, clock, dingtalk, dingtalk_settings):
    org_id, ids = await _team(app, dingtalk, size=2)
    del dingtalk.users["p0001"]  # left the company
    platform = await _platform(app, dingtalk_settings)
    await _queue(app, org_id, ids, Reply.text("hello"))
    outcomes = sorted(await platform.worker.run_once(), key=lambda o: o.message_id)
    await platform.close()
    assert [o.status for o in outcomes] == ["sent", "failed"]
    assert "p0001" in outcomes[1].error and "invalidStaffIdList" in outcomes[1].error


async def test_an_outage_is_retried_and_nothing_is_lost(app, clock, dingtalk, dingtalk_settings):
    org_id, ids = await _team(app, dingtalk, size=3)
    platform = await _platform(app, dingtalk_settings)
    await _queue(app, org_id, ids, Reply.text("hello"))
    dingtalk.down = True
    outcomes = await platform.worker.run_once()
    assert {o.status for o in outcomes} == {"retry"}
    dingtalk.down = False
    clock.advance(timedelta(minutes=1))
    outcomes = await platform.worker.run_once()
    await platform.close()
    assert {o.status for o in outcomes} == {"sent"}
    assert sorted(s.to for s in dingtalk.sent) == ["p0000", "p0001", "p0002"]


async def test_a_long_digest_is_split_never_cut(app, clock, dingtalk, dingtalk_settings):
    org_id, ids = await _team(app, dingtalk, size=1)
    lines = "\n".join(f"• 第 {n} 条：一件值得记住的事情，写得很长很长" * 2 for n in range(400))
    platform = await _platform(app, dingtalk_settings)
    await _queue(app, org_id, ids, Reply.text(lines))
    outcomes = await platform.worker.run_once()
    await platform.close()
    assert [o.status for o in outcomes] == ["sent"]
    texts = [s.text for s in dingtalk.sent]
    assert len(texts) > 1 and all(len(t) <= 5_000 for t in texts)
    joined = "".join(texts).replace("  \n", "\n")
    assert all(f"第 {n} 条" in joined for n in range(400))


async def test_a_group_post_goes_through_group_messages(app, clock, dingtalk, dingtalk_settings):
    org = await seed_org(app, slug="acme", values=["ownership"])
    platform = await _platform(app, dingtalk_settings)
    async with app.db.transaction() as session:
        await outbox.enqueue_many(
            session, org_id=org.id, now=clock.now(),
            messages=[{"kind": "channel", "channel_id": "cidGROUP", "platform": "dingtalk",
                       "payload": Reply.text("team digest").to_dict()}],
        )  # fmt: skip
    outcomes = await platform.worker.run_once()
    await platform.close()
    assert [o.status for o in outcomes] == ["sent"]
    assert [(s.api, s.to, s.text) for s in dingtalk.sent] == [("group", "cidGROUP", "team digest")]
