"""The conformance kit: the same transcripts on every platform, through its own wire format and fake
server (console, Slack, Teams, and Pigeon, a platform that lives only in the tests).

A platform that passes these works everywhere in the product: commands with mentions, replies and
direct messages in each person's language, buttons, forms, scheduled work, errors, duplicates, rate
limits and profiles.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.platforms import PLATFORMS
from bot.identity import learn_profile
from bot.platform import Platform, Profile, ProfileSeen
from bot.replies import Reply
from bot.scheduler import build_scheduler
from store import people
from store.models import Kudos, OutboxMessage


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def say(platform, who: str, text: str) -> str:
    """`who` types `text`; what they then see last (the answer, delivered wherever it goes)."""
    await platform.say(who, text)
    await platform.deliver()
    return newest(platform, who)


async def press(platform, who: str, label: str) -> str:
    await platform.press(who, label)
    await platform.deliver()
    return newest(platform, who)


def newest(platform, who: str) -> str:
    seen = platform.seen(who)
    assert seen, f"{who} received nothing on {platform.name}"
    return seen[-1]


def received(platform, who: str, fragment: str) -> list[str]:
    return [message for message in platform.seen(who) if fragment in message]


async def tick(platform, app, at: datetime) -> None:
    """The clock moves to `at`; due work runs and is delivered, as `rapport serve` does."""
    app.clock.set(at)
    await build_scheduler(db=app.db, catalogue=app.catalogue).run_due(at)
    await platform.deliver()


async def count(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_kudos_to_two_people_reach_each_in_their_language(platform, app):
    answer = await say(platform, "bob", "/kudos @alice @wei great demo #ownership")
    assert "Kudos sent to Alice Smith and 张伟" in answer
    assert received(platform, "alice", "Bob Brown gave you kudos: great demo")
    assert received(platform, "wei", "Bob Brown 给你点赞：great demo")
    assert await count(app, Kudos) == 1


async def test_a_check_in_finished_with_buttons_and_typed_answers(platform):
    first = await say(platform, "alice", "/checkin")
    assert "(1/7) How was your week" in first
    assert "(2/7)" in await press(platform, "alice", "good")
    await say(platform, "alice", "shipped the importer")
    assert "(4/7) Are you blocked" in await say(platform, "alice", "the flaky tests")
    await press(platform, "alice", "No")
    await say(platform, "alice", "pairing helps")
    await say(platform, "alice", "finish the importer")
    done = await say(platform, "alice", "more time for reviews")
    for line in (
        "Thanks, your check-in is saved",
        "How was your week, from 1 to 5? → 4 🙂 good",
        "Are you blocked on anything? → No",
        "Anything for your manager, such as support you need? → more time for reviews",
    ):
        assert line in done, f"{line!r} not in {done!r}"


async def test_an_action_reminder_arrives_and_its_button_closes_the_action(platform, app):
    await say(platform, "alice", "/action Draft the onboarding doc by 2026-11-27")
    await tick(platform, app, utc(2026, 11, 26, 9))  # Thursday 10:00 in Berlin
    assert "Action #1 is due Fri 27 Nov 2026: Draft the onboarding doc." in newest(platform, "alice")
    assert "Action #1 is done" in await press(platform, "alice", "Done")


async def test_the_review_digest_is_a_direct_message_to_the_manager(platform, app):
    assert "Bob Brown" in await say(platform, "carol", "/review schedule @bob 2026-12-10 16:00")
    await tick(platform, app, utc(2026, 12, 7, 16, 0))  # three days before
    [digest] = received(platform, "carol", "Suggested agenda")
    assert "Review with Bob Brown" in digest


async def test_a_mistake_gets_a_polite_answer_in_the_persons_language_and_changes_nothing(platform, app):
    answer = await say(platform, "bob", "/kudos @nobody thanks")
    assert "I couldn't find @nobody in your organisation" in answer
    answer = await say(platform, "wei", "/kudos @nobody 谢谢")
    assert "在你的组织中找不到 @nobody" in answer
    assert await count(app, Kudos) == 0
    assert await count(app, OutboxMessage) == 0


async def test_a_duplicated_event_acts_once(platform, app):
    await platform.say("bob", "/kudos @alice thanks for the review")
    await platform.again()
    await platform.deliver()
    assert len(received(platform, "alice", "thanks for the review")) == 1
    assert await count(app, Kudos) == 1


async def test_a_429_storm_delivers_every_message_exactly_once(platform, app):
    platform.rate_limit(times=4, retry_after=0)
    await say(platform, "carol", "/kudos @alice @bob @wei great quarter")
    for who in ("alice", "bob", "wei"):
        assert len(received(platform, who, "great quarter")) == 1, (who, platform.seen(who))
    async with app.db.read() as session:
        rows = (await session.execute(select(OutboxMessage.status, OutboxMessage.attempts))).all()
    assert [status for status, _ in rows] == ["sent"] * 3
    assert sum(attempts for _, attempts in rows) > 3  # the storm was met, and waited out


async def test_a_profile_from_the_platform_fills_a_newcomer(platform, app, org):
    platform.give_profile("zoe", Profile(name="Zoe Quinn", email="zoe@example.com", timezone="Asia/Tokyo"))
    await say(platform, "zoe", "hello")  # Rapport meets her: a person of her own, named as it can
    profile = await platform.fetch_profile("zoe")
    if not platform.has_profiles:
        assert profile is None
        return
    assert (profile.name, profile.email) == ("Zoe Quinn", "zoe@example.com")
    seen = ProfileSeen(
        org_id=org.id, platform=platform.name, user_id=platform.user_id("zoe"), profile=profile
    )
    await learn_profile(app.db, seen=seen, clock=app.clock)
    async with app.db.read() as session:
        zoe = await people.by_identity(
            session, org_id=org.id, platform=platform.name, user_id=platform.user_id("zoe")
        )
    assert (zoe.display_name, zoe.email) == ("Zoe Quinn", "zoe@example.com")
    if profile.timezone:
        assert zoe.timezone == "Asia/Tokyo"


async def test_the_platform_keeps_the_contract_and_its_row_is_in_the_table(platform):
    built = getattr(platform, platform.name)
    assert isinstance(built, Platform) and built.name == platform.name
    assert built.render(Reply.text("hello")), "a reply renders to at least one message"
    if platform.name != "pigeon":  # Pigeon lives in tests/: its row is its own, and the table never names it
        assert platform.name in {row.name for row in PLATFORMS}
