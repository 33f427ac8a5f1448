"""Transcripts over the stream: what people type to the robot and what they read back, in English
and Chinese; replies through the sessionWebhook, or proactively once it expired."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Identity, OutboxMessage


async def test_help_in_english_through_the_session_webhook(ding):
    await ding.say("bob", "help")
    [reply] = ding.seen("bob")
    assert "kudos" in reply.lower()
    assert [s.api for s in ding.fake.sent] == ["webhook"]


async def test_help_in_chinese_for_someone_who_reads_chinese(ding):
    await ding.say("wei", "/help")
    [reply] = ding.seen("wei")
    assert "点赞" in reply and "签到" in reply


async def test_kudos_with_a_mention_reaches_the_colleague_as_a_dm(ding):
    await ding.say("bob", "/kudos @alice great demo #ownership", at=("alice",))
    [answer] = ding.seen("bob")
    assert "Alice" in answer
    outcomes = await ding.deliver()
    assert [o.status for o in outcomes] == ["sent"]
    [dm] = ding.seen("alice")
    assert "great demo" in dm and "Bob" in dm


async def test_the_same_message_pushed_twice_gives_kudos_once(ding):
    await ding.say("bob", "kudos @alice thanks for the review", at=("alice",))
    await ding.fake.push("/v1.0/im/bot/messages/get", ding.last)  # DingTalk pushes it again
    await ding.deliver()
    assert len(ding.seen("alice")) == 1


async def test_an_expired_webhook_has_the_reply_delivered_proactively(ding):
    await ding.say("bob", "help", webhook_valid_for=-1)
    assert ding.seen("bob") == []
    async with ding.app.db.read() as session:
        [row] = list(await session.scalars(select(OutboxMessage)))
    assert row.platform == "dingtalk"
    await ding.deliver()
    [reply] = ding.seen("bob")
    assert "kudos" in reply.lower()


async def test_someone_new_is_matched_by_the_email_of_their_profile(ding, dingtalk):
    """Dan (imported, no DingTalk id yet) writes: his profile's email joins him to the imported Dan."""
    dingtalk.users["dan-staff"] = {"name": "Dan Lee", "email": "dan@example.com"}
    await ding.say("dan-staff", "help")
    await ding.platform.close()  # waits for the profile fetched in the background
    async with ding.app.db.read() as session:
        identity = await session.scalar(select(Identity).where(Identity.platform_user_id == "dan-staff"))
        from store.models import Person

        person = await session.get(Person, identity.person_id)
    assert person.handle == "dan"


async def test_in_a_group_the_answer_is_private_and_the_kudos_is_posted_to_the_group(ding):
    """A reply in a group would be read by all: it goes to the author's 1:1 chat; the kudos itself is
    celebrated in the group, and its recipient gets a DM."""
    await ding.say("bob", "kudos @Alice Smith great demo", at=("alice",), group="cidTEAM")
    assert [s for s in ding.fake.sent if s.api == "webhook"] == []
    await ding.deliver()
    [answer] = [s.text for s in ding.fake.sent if s.api == "batch" and s.to == "bob"]
    assert "Kudos sent to Alice Smith" in answer
    [post] = [s for s in ding.fake.sent if s.api == "group"]
    assert post.to == "cidTEAM" and "great demo" in post.text
    assert any("great demo" in s.text for s in ding.fake.sent if s.api == "batch" and s.to == "alice")


async def test_feedback_given_in_a_group_says_nothing_to_the_group(ding):
    await ding.say("bob", "/feedback @Alice Smith the demo ran long", at=("alice",), group="cidTEAM")
    await ding.deliver()
    assert [s for s in ding.fake.sent if s.api in ("webhook", "group")] == []
    assert any("Only Alice Smith will see it" in s.text for s in ding.fake.sent if s.to == "bob")
