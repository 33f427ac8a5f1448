"""Release sequences (`bot.anonymity.batches`), against a reader who looks after every event and knows
who answered when and who was erased: what they see changes only by whole batches of at least three
real answers, so no change ever points at one person."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.anonymity import pulse
from bot.features.feedback.request_release import layout, release_batch
from store import people, review_records
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.review_record_models import ReviewPulse

T = 3

events = st.lists(
    st.one_of(
        st.tuples(st.just("answer"), st.integers(0, 7)),
        st.tuples(st.just("erase"), st.integers(0, 7)),
    ),
    max_size=40,
)


def seen(asks: list[FeedbackAsk]) -> dict[int, int]:
    """What the requester reads: each visible answer (by ask) and its number."""
    return {a.id: number for batch in layout(asks) for number, a in enumerate(batch.answers, batch.first)}


@settings(max_examples=300, deadline=None)
@given(events)
def test_an_anonymous_request_changes_only_by_whole_batches_of_real_answers(sequence):
    request = FeedbackRequest(id=1, anonymous=True, threshold=T, batches=0, status="open")
    asks = [FeedbackAsk(id=i, request_id=1, status="asked", batch=None, position=None) for i in range(8)]
    before, erased = seen(asks), set()
    for kind, i in sequence:
        if kind == "answer" and asks[i].status == "asked":
            asks[i].status = "answered"
            batch = release_batch(request, asks)
            assert not batch or (len(batch) >= T and not {a.id for a in batch} & erased)
        elif kind == "erase" and asks[i].status == "answered":
            asks[i].status = "erased"  # what `store.erasure` does to an answered ask
            erased.add(i)
        now = seen(asks)
        assert not set(now) & erased  # an erased answer is never read again
        for a in set(now) & set(before):
            assert now[a] == before[a]  # and no answer moves
        added, removed = set(now) - set(before), set(before) - set(now)
        for change in (added, removed):
            touched = {asks[a].batch for a in change}
            for number in touched:  # only whole batches, each of at least T answers
                members = {a.id for a in asks if a.batch == number}
                assert members == {a for a in change if asks[a].batch == number}
                assert len(members) >= T
        before = now


async def test_the_pulse_moves_only_by_at_least_three_answers_at_a_time(app, org):
    """Random runs of pulse answers through the store: the figure a manager reads after each one
    either stays exactly as it was or takes in three or more new answers at once."""
    async with app.db.read() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
    for seed in range(3):
        rng, shown = random.Random(seed), None
        for number in range(rng.randint(5, 14)):
            async with app.db.transaction() as session:
                await pulse.record_answer(
                    session,
                    org=org,
                    manager_id=carol.id,
                    room_to_speak=rng.random() < 0.5,
                    next_steps=rng.random() < 0.5,
                    useful=rng.randint(1, 5),
                    week=f"2026-W{40 + number:02d}",
                )
            async with app.db.read() as session:
                now = await review_records.pulse_summary(session, org_id=org.id, manager_id=carol.id)
            before = shown.answers if shown else 0
            after = now.answers if now else 0
            assert after == before or after - before >= T
            if after == before:
                assert now == shown
            shown = now
        async with app.db.transaction() as session:  # the next run starts from no answers
            await session.execute(ReviewPulse.__table__.delete())
