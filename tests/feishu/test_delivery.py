"""Delivery to Feishu through the shared outbox worker: rate limits wait Feishu's reset, a rejected
token is fetched again once, a gateway's HTML page is a passing error, an unreachable person is a
permanent one with Feishu's reason; a 429 storm is delivered exactly once."""

from __future__ import annotations

from datetime import timedelta


async def _pending(feishu) -> None:
    await feishu.say("alice", "/kudos @bob great demo")


async def test_a_rate_limit_waits_feishus_reset_then_sends_once(feishu, clock):
    await _pending(feishu)
    feishu.fake.fail("rate_limit", times=2, reset=7)

    first = await feishu.deliver()
    assert {o.status for o in first} == {"retry"}
    assert all(o.retry_at == clock.now() + timedelta(seconds=7) for o in first)

    clock.advance(timedelta(seconds=8))
    await feishu.deliver()
    assert len(feishu.seen("bob")) == 1 and len(feishu.seen("alice")) == 1


async def test_a_rejected_token_is_fetched_again_once(feishu):
    await _pending(feishu)
    await feishu.deliver()
    feishu.fake.expire_tokens()
    await feishu.say("bob", "/kudos @alice thanks back")

    outcomes = await feishu.deliver()
    assert {o.status for o in outcomes} == {"sent"}
    tokens = [c for c in feishu.fake.calls if c.endswith("tenant_access_token/internal")]
    assert len(tokens) == 2


async def test_one_token_and_one_connection_serve_many_sends(feishu):
    for n in range(4):
        await feishu.say("alice", f"/kudos @bob great demo number {n}")
    for _ in range(4):  # one delivery after another, as the worker's batches go
        await feishu.deliver()

    assert len(feishu.seen("bob")) == 4 and len(feishu.seen("alice")) == 4
    assert feishu.fake.calls.count("/open-apis/auth/v3/tenant_access_token/internal") == 1
    # Alice's and Bob's cards go side by side (two connections, kept); lark-oapi alone opened a new one
    # for each of these 8 sends, the token and the profiles.
    assert len(feishu.fake.peers) <= 2 < len(feishu.fake.calls)


async def test_an_html_error_page_is_retried(feishu, clock):
    await _pending(feishu)
    feishu.fake.fail("outage", times=2)
    outcomes = await feishu.deliver()
    assert "retry" in {o.status for o in outcomes}
    clock.advance(timedelta(minutes=1))
    await feishu.deliver()
    assert len(feishu.seen("bob")) == 1


async def test_a_page_that_is_not_json_is_no_success_even_with_200(feishu, clock):
    await _pending(feishu)
    feishu.fake.fail("portal", times=2)
    outcomes = await feishu.deliver()
    assert {o.status for o in outcomes} == {"retry"}
    assert "not JSON" in outcomes[0].error
    clock.advance(timedelta(minutes=1))
    await feishu.deliver()
    assert len(feishu.seen("bob")) == 1 and len(feishu.seen("alice")) == 1


async def test_someone_outside_the_apps_availability_fails_with_the_reason(feishu):
    feishu.fake.users["ou_bob"].available = False
    await _pending(feishu)
    outcomes = await feishu.deliver()
    failed = [o for o in outcomes if o.status == "failed"]
    assert len(failed) == 1 and "230013" in failed[0].error


async def test_a_429_storm_is_delivered_exactly_once(feishu, clock):
    for who in ("alice", "bob", "carol", "dan", "erin"):
        await feishu.say(who, "/kudos @wei 谢谢你的帮助")
    feishu.fake.fail("rate_limit", times=25, reset=1)
    for _ in range(30):
        await feishu.deliver()
        clock.advance(timedelta(seconds=2))
    assert len(feishu.seen("wei")) == 5
    for who in ("alice", "bob", "carol", "dan", "erin"):
        assert len(feishu.seen(who)) == 1


async def test_a_long_digest_arrives_whole_as_several_cards_in_order(feishu, org):
    from bot.replies import Reply, Text
    from store import outbox, people

    lines = [f"{n}. 张伟 shipped item {n} " + "细节" * 60 for n in range(400)]
    async with feishu.app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        digest = Reply(parts=tuple(Text(text=line) for line in lines), summary="Digest")
        message = {"kind": "dm", "recipient_id": carol.id, "platform": "feishu", "payload": digest.to_dict()}
        await outbox.enqueue_many(session, org_id=org.id, messages=[message], now=feishu.app.clock.now())

    assert [o.status for o in await feishu.deliver()] == ["sent"]
    received = feishu.seen("carol")
    assert len(received) > 1
    assert "\n".join(received).split("\n") == lines


async def test_a_group_the_bot_left_fails_with_the_reason(feishu):
    await feishu.say("alice", "kudos @bob great demo", chat_id="oc_gone", mention_bot=True)
    outcomes = await feishu.deliver()
    failed = [o for o in outcomes if o.status == "failed"]
    assert len(failed) == 1 and "230002" in failed[0].error
    assert len(feishu.seen("bob")) == 1, "the DM to Bob still goes"
