"""People on Feishu: the tenant joins RAPPORT_ORG; a person's name, email and time zone come from the
contact API (any may be absent); someone imported by email is found on Feishu by that email, so one
person is one person across platforms."""

from __future__ import annotations

import aiohttp

from bot.replies import Reply
from store import orgs, outbox, people
from tests.feishu.conftest import _harness, message_event


async def _person_of(app, org, open_id: str):
    async with app.db.read() as session:
        return await people.by_identity(session, org_id=org.id, platform="feishu", user_id=open_id)


async def _writes(app, fake, who: str) -> None:
    """`who` writes to Rapport for the first time; their profile is learnt."""
    harness, runner = await _harness(app, fake)
    async with aiohttp.ClientSession() as harness.http:
        await harness.send(message_event(who, "/help"))
        await harness.events.settle()
    await runner.cleanup()


async def test_someone_new_is_known_by_their_feishu_profile(app, org, fake):
    fake.add_user("ou_mei", name="王美", email="mei@example.com", time_zone="Asia/Shanghai")
    await _writes(app, fake, "mei")

    mei = await _person_of(app, org, "ou_mei")
    assert (mei.display_name, mei.email, mei.timezone) == ("王美", "mei@example.com", "Asia/Shanghai")


async def test_a_profile_without_email_or_time_zone_keeps_the_organisations_defaults(app, org, fake):
    fake.add_user("ou_lei", name="李雷")
    await _writes(app, fake, "lei")

    lei = await _person_of(app, org, "ou_lei")
    assert lei.display_name == "李雷" and lei.email is None


async def test_a_feishu_user_with_an_imported_email_is_that_person(app, org, fake):
    # Alice was imported (alice@example.com) and never wrote on Feishu; her Feishu account says so.
    await _writes(app, fake, "alice")

    alice = await _person_of(app, org, "ou_alice")
    assert alice.handle == "alice" and alice.display_name == "Alice Smith"


async def test_a_dm_to_someone_imported_finds_them_on_feishu_by_email(app, org, fake):
    harness, runner = await _harness(app, fake)
    async with app.db.transaction() as session:
        bob = await people.by_handle(session, org_id=org.id, handle="bob")
        await orgs.link_workspace(session, org_id=org.id, platform="feishu", external_id="tenant-acme", now=app.clock.now())
        message = {"kind": "dm", "recipient_id": bob.id, "platform": "feishu", "payload": Reply.text("Hello Bob").to_dict()}
        await outbox.enqueue_many(session, org_id=org.id, messages=[message], now=app.clock.now())

    outcomes = await harness.deliver()
    await runner.cleanup()

    assert [o.status for o in outcomes] == ["sent"]
    assert harness.seen("bob") == ["Hello Bob"]
    assert (await _person_of(app, org, "ou_bob")).id == bob.id
    assert any(c.endswith("batch_get_id") for c in fake.calls)


async def test_another_tenant_is_never_joined(app, org, fake):
    harness, runner = await _harness(app, fake)
    async with aiohttp.ClientSession() as harness.http:
        await harness.send(message_event("alice", "/help"))
        stranger = message_event("alice", "/kudos @bob hi")
        stranger["header"]["tenant_key"] = "tenant-other"
        await harness.send(stranger)
    await harness.deliver()
    await runner.cleanup()

    async with app.db.read() as session:
        assert await orgs.for_workspace(session, platform="feishu", external_id="tenant-other") is None
    assert harness.seen("bob") == []
