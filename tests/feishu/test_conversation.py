"""Transcripts over Feishu: what people type to Rapport in Feishu and what they see, in both languages,
through `/feishu/events` and the delivery worker, against the fake Feishu the real lark-oapi client
talks to."""

from __future__ import annotations

from tests.feishu.conftest import open_id


async def test_kudos_typed_in_a_dm_reaches_both_people(feishu):
    await feishu.say("alice", "/kudos @bob shipped the migration on time #ownership")
    outcomes = await feishu.deliver()

    assert {o.status for o in outcomes} == {"sent"}
    assert any("Bob Brown" in text for text in feishu.seen("alice"))
    (to_bob,) = feishu.seen("bob")
    assert "Alice Smith" in to_bob and "shipped the migration on time" in to_bob


async def test_a_command_without_its_slash_and_in_chinese(feishu):
    await feishu.say("wei", "kudos @alice 演示很棒 #teamwork")
    await feishu.deliver()

    (to_wei,) = feishu.seen("wei")
    assert "Alice Smith" in to_wei
    assert "已给" in to_wei and "点赞" in to_wei  # the confirmation is in Chinese, Wei's language
    (to_alice,) = feishu.seen("alice")
    assert "张伟" in to_alice and "演示很棒" in to_alice


async def test_kudos_given_in_a_group_is_posted_to_that_group(feishu):
    feishu.fake.chats.add("oc_team")
    await feishu.say("alice", "kudos @bob great demo", chat_id="oc_team", mention_bot=True)
    await feishu.deliver()

    in_group = [s for s in feishu.fake.sent if s.receive_id == "oc_team"]
    assert len(in_group) == 1 and in_group[0].receive_id_type == "chat_id"
    assert "Bob Brown" in in_group[0].text and "Rapport" not in in_group[0].text
    assert feishu.seen("alice"), "the giver's confirmation comes as a direct message"


async def test_a_retried_event_acts_once(feishu):
    await feishu.say("alice", "/kudos @bob thanks for the review")
    await feishu.again()
    await feishu.deliver()

    assert len(feishu.seen("bob")) == 1
    assert len(feishu.seen("alice")) == 1


async def test_a_typo_gets_a_polite_answer(feishu):
    await feishu.say("bob", "/kudoz @alice thanks")
    await feishu.deliver()

    (answer,) = feishu.seen("bob")
    assert "kudos" in answer
    assert not feishu.seen("alice")


async def test_the_tenant_joins_the_organisation(feishu, app):
    from store import orgs

    await feishu.say("alice", "/help")
    async with app.db.read() as session:
        org = await orgs.for_workspace(session, platform="feishu", external_id="tenant-acme")
    assert org is not None and org.slug == "acme"
    assert open_id("alice")


async def test_a_name_typed_without_picking_the_person_is_asked_back(plain_feishu):
    await plain_feishu.say("wei", "/kudos @李娜 演示很棒")
    await plain_feishu.deliver()
    (answer,) = plain_feishu.seen("wei")
    assert answer == "我无法确定 @李娜 是谁。请从提及列表中选择这个人。"  # pick them from the list
    assert len(plain_feishu.fake.sent) == 1
