"""Who may see a review's digest, self-review, record, history and pulse: a matrix, and the commands."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.access import (
    can_view_digest,
    can_view_meeting_record,
    can_view_pulse,
    can_view_review_history,
    can_view_self_review,
)
from store import people, roles
from store.checkin_models import DueWork
from store.review_models import ReviewMeeting
from tests.support import seed_org

EVERYONE = ["carol", "alice", "bob", "wei", "dan", "erin"]


@pytest.fixture
async def cast(app, org):
    """Everyone in Acme, Erin made HR, and a meeting of Alice with Carol."""
    async with app.db.transaction() as session:
        by_handle = {h: await people.by_handle(session, org_id=org.id, handle=h) for h in EVERYONE}
        await roles.grant(
            session, org_id=org.id, person_id=by_handle["erin"].id, role="hr", now=app.clock.now()
        )
        meeting = ReviewMeeting(
            org_id=org.id,
            employee_id=by_handle["alice"].id,
            manager_id=by_handle["carol"].id,
            scheduled_by_id=by_handle["carol"].id,
            starts_at=datetime(2026, 12, 10, 15, tzinfo=UTC),
            minutes=45,
            status="scheduled",
            scheduled_at=app.clock.now(),
        )
        session.add(meeting)
    return by_handle, meeting


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        (lambda v, m, a: can_view_digest(v, m, a), {"carol"}),
        (lambda v, m, a: can_view_self_review(v, m, a), {"carol", "alice"}),
        (lambda v, m, a: can_view_meeting_record(v, m, a), {"carol", "alice"}),
        (lambda v, m, a: can_view_review_history(v, a, is_hr=v.handle == "erin"), {"carol", "alice", "erin"}),
    ],
    ids=["digest", "self_review", "record", "history"],
)
async def test_matrix(cast, rule, allowed):
    by_handle, meeting = cast
    seen = {h for h in EVERYONE if rule(by_handle[h], meeting, by_handle["alice"])}
    assert seen == allowed


async def test_a_manager_who_no_longer_manages_her_sees_no_digest(cast):
    by_handle, meeting = cast
    by_handle["alice"].manager_id = by_handle["dan"].id
    assert not can_view_digest(by_handle["carol"], meeting, by_handle["alice"])
    assert not can_view_digest(by_handle["dan"], meeting, by_handle["alice"])


async def test_pulse_only_as_released_batches(cast):
    by_handle, _ = cast
    carol, erin, alice = by_handle["carol"], by_handle["erin"], by_handle["alice"]
    assert not can_view_pulse(carol, carol, is_hr=False, released=0)
    assert can_view_pulse(carol, carol, is_hr=False, released=1)
    assert can_view_pulse(erin, carol, is_hr=True, released=1)
    assert not can_view_pulse(alice, carol, is_hr=False, released=3)


async def test_another_organisation_sees_nothing(app, cast):
    by_handle, meeting = cast
    other = await seed_org(app, slug="globex", values=[], domain="globex.example")
    async with app.db.read() as session:
        their_carol = await people.by_handle(session, org_id=other.id, handle="carol")
    assert not can_view_digest(their_carol, meeting, by_handle["alice"])
    assert not can_view_meeting_record(their_carol, meeting, by_handle["alice"])
    assert not can_view_review_history(their_carol, by_handle["alice"], is_hr=True)


async def test_commands_refuse_everyone_but_the_manager(chat, app, org):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    for who in ("bob", "dan", "alice"):
        for command in ("digest", "read", "notes", "example @alice x"):
            text = f"/review {command}" if command.startswith("example") else f"/review {command} @alice"
            await chat.send(who, text.replace("example @alice x", "example @alice an example"))
            chat.expect_reply("Only Alice Smith's manager can prepare or record")
    await chat.send("bob", "/review history @alice")
    chat.expect_reply("Only Alice Smith, their manager and HR")


async def test_hr_sees_dates_and_completeness_never_content(chat, app, org):
    async with app.db.transaction() as session:
        erin = await people.by_handle(session, org_id=org.id, handle="erin")
        await roles.grant(session, org_id=org.id, person_id=erin.id, role="hr", now=app.clock.now())
    await chat.send("carol", "/review schedule @alice 2026-11-24 15:00")
    app.clock.set(datetime(2026, 11, 24, 16, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Secret goals", "Secret process", "Secret lessons", "Secret growth", "skip", "skip"):
        await chat.send("carol", answer)
    await chat.send("carol", "@alice Draft the plan by 2026-12-20; @carol Find a mentor by 2026-12-31")
    await chat.send("carol", "skip")
    await chat.send("erin", "/review history @alice")
    reply = chat.expect_reply(
        "Reviews of Alice Smith", "held; self-review no; notes yes; confirmation pending"
    )
    assert "Secret" not in reply
    await chat.send("carol", "/review history @alice")
    chat.expect_reply("Secret goals")


async def test_moving_and_cancelling_replan_the_work(chat, app, org):
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("carol", "/review move @alice 2026-12-14 15:00")
    async with app.db.read() as session:
        work = list(await session.scalars(select(DueWork).where(DueWork.kind.like("review.%"))))
    pending = sorted((w.kind, w.run_at.isoformat()) for w in work if w.status == "pending")
    assert pending == [
        ("review.digest", "2026-12-11T15:00:00+00:00"),
        ("review.pulse", "2026-12-15T15:45:00+00:00"),
        ("review.reminder", "2026-12-14T14:00:00+00:00"),
        ("review.self_review", "2026-12-09T15:00:00+00:00"),
    ]
    await chat.send("carol", "/review cancel @alice")
    await chat.tick(datetime(2026, 12, 16, 9, tzinfo=UTC))
    chat.expect_no_dm("carol")
    assert not [d for d in chat.dms("alice") if "self-review" in d]
