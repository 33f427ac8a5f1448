"""A review's evidence is what the features registered on the router gather (`router.evidence`): a
feature that registers a gatherer has its piece in the digest, and a feature that is not registered
adds nothing, though its data is there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.evidence import Period, Topic
from bot.features import build_router
from bot.features.reviews import digest
from bot.features.reviews.evidence import gather
from bot.router import Router
from store import people, reviews

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Mentoring:
    """A tests-only piece that says itself in the goals section and on the agenda."""

    pairs: list[str]

    def lines(self, t, *, today, short_day) -> list[str]:
        return [f"Mentoring: paired with {who}" for who in self.pairs]

    def topics(self, t, *, today) -> list[Topic]:
        return [Topic(key="goals_behind", weight=99, params={"count": 1, "items": "“Pair weekly”"})]

    def summary(self, t, *, today) -> list[str]:
        return []


async def setting(chat, app, org):
    """Alice has kudos from Bob, and a review with Carol in two weeks."""
    app.clock.set(NOW)
    await chat.send("bob", "/kudos @alice the importer demo was superb")
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    chat.expect_reply("Alice Smith")
    async with app.db.read() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        meeting = await reviews.next_scheduled(session, org_id=org.id, employee_id=alice.id)
    return alice, carol, meeting


async def test_a_registered_gatherer_has_its_piece_gathered_an_unregistered_feature_none(chat, app, org):
    alice, carol, meeting = await setting(chat, app, org)
    asked: list[Period] = []

    async def mentoring(period: Period) -> dict:
        asked.append(period)
        return {"goals": Mentoring(["Wei"]), "mentoring_hours": 6}

    router = Router()  # only the tests-only feature: no kudos, no check-ins, no actions
    router.evidence("mentoring")(mentoring)
    t = app.catalogue.messages("en")
    async with app.db.read() as session:
        only_ours = await digest.build(
            session, sources=router.sources, t=t, meeting=meeting, employee=alice, manager=carol, now=NOW
        )
        everything = await digest.build(
            session,
            sources=build_router().sources,
            t=t,
            meeting=meeting,
            employee=alice,
            manager=carol,
            now=NOW,
        )
        found = await gather(
            session, sources=router.sources, meeting=meeting, employee=alice, manager=carol, now=NOW
        )
    text = only_ours.plain_text()
    assert "Mentoring: paired with Wei" in text
    assert "1 key result is behind its pace: “Pair weekly”" in text
    assert "the importer demo was superb" not in text
    assert "the importer demo was superb" in everything.plain_text()
    assert "Mentoring" not in everything.plain_text()
    assert found.more == {"mentoring_hours": 6}  # a piece the review has no field for is kept by name
    period = asked[-1]
    assert (period.employee.id, period.reader.id, period.meeting.id) == (alice.id, carol.id, meeting.id)
    assert period.since == meeting.starts_at - timedelta(weeks=13)  # no earlier review: a quarter back
    assert period.until == NOW


async def test_a_piece_gathered_twice_or_a_name_registered_twice_is_refused(chat, app, org):
    alice, carol, meeting = await setting(chat, app, org)

    async def more_kudos(period: Period) -> dict:
        return {"kudos": []}

    router = build_router()
    with pytest.raises(ValueError, match="'kudos' is registered twice"):
        router.evidence("kudos")(more_kudos)
    router.evidence("more kudos")(more_kudos)
    async with app.db.read() as session:
        with pytest.raises(ValueError, match="'more kudos' gathers \\['kudos'\\]"):
            await gather(
                session, sources=router.sources, meeting=meeting, employee=alice, manager=carol, now=NOW
            )
