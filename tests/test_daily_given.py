"""The daily cap's counter: a giver's day starts again at their midnight, and what they gave on the
days before is not kept (one row a person, whatever the number of days they gave on)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, text

from store import feedback, people
from store.feedback_models import DailyGiven
from store.migrate import differences, downgrade, upgrade
from store.models import Organisation, Person
from tests.conftest import BACKENDS, database_at


async def _counters(app) -> list[tuple[str, date, int]]:
    async with app.db.read() as session:
        rows = await session.execute(
            select(Person.handle, DailyGiven.day, DailyGiven.given)
            .join(Person, Person.id == DailyGiven.person_id)
            .order_by(Person.handle)
        )
        return [tuple(row) for row in rows]


async def test_a_new_day_gives_again_and_keeps_one_counter_a_person(chat, app, org, clock):
    async with app.db.transaction() as session:
        (await session.get(Organisation, org.id)).daily_give_cap = 2
    first_day = clock.now()
    await chat.send("bob", "/kudos @alice great demo")
    await chat.send("bob", "/kudos @wei thanks for the review")
    await chat.send("bob", "/kudos @carol thanks")
    chat.expect_reply("You have given 2 kudos and pieces of feedback today")

    for days in (1, 2, 3):
        clock.set(first_day + timedelta(days=days))
        await chat.send("bob", "/kudos @carol thanks again")
        chat.expect_reply("Kudos sent to Carol")
    await chat.send("bob", "/kudos @alice and once more")
    await chat.send("bob", "/kudos @wei and once more")
    chat.expect_reply("You have given 2 kudos and pieces of feedback today")

    assert await _counters(app) == [("bob", (first_day + timedelta(days=3)).date(), 2)]


async def test_counts_for_a_day_before_the_latest_do_not_move_it_back(app, org):
    async with app.db.read() as session:
        ana = await session.scalar(select(Person.id).where(Person.handle == "alice"))
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    async with app.db.transaction() as session:
        await feedback.count_given(session, org_id=org.id, given={(ana, monday): 2})
        # A batch that ran across the giver's midnight: one row for them, on the later day.
        await feedback.count_given(session, org_id=org.id, given={(ana, monday): 1, (ana, tuesday): 1})
        await feedback.count_given(session, org_id=org.id, given={(ana, tuesday): 2})
        await feedback.count_given(session, org_id=org.id, given={(ana, monday): 5})  # late, and ignored
    async with app.db.read() as session:
        assert await feedback.given_on(session, org_id=org.id, days={ana: tuesday}) == {ana: 3}
        assert await feedback.given_on(session, org_id=org.id, days={ana: monday}) == {}
    assert await _counters(app) == [("alice", tuesday, 3)]


@pytest.fixture(params=BACKENDS)
async def at_0016(request, tmp_path):
    """A database migrated to 0016 only, on each backend."""
    async with database_at("0016", backend=request.param, tmp_path=tmp_path) as db:
        yield db


async def test_migration_0017_keeps_each_persons_latest_day_and_goes_back(at_0016):
    db = at_0016
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    async with db.transaction() as session:
        org_id = await session.scalar(
            insert(Organisation)
            .values(slug="acme", name="Acme", default_locale="en", company_values=[], created_at=now)
            .returning(Organisation.id)
        )
        ids = await people.insert_many(
            session,
            org_id=org_id,
            people=[{"email": f"{h}@acme.example", "display_name": h, "handle": h} for h in ("p1", "p2")],
            now=now,
        )
        p1, p2 = ids["p1@acme.example"], ids["p2@acme.example"]
        await session.execute(
            text("INSERT INTO daily_given (org_id, person_id, day, given) VALUES (:o, :p, :d, :n)"),
            [
                {"o": org_id, "p": p1, "d": date(2026, 11, 23), "n": 4},
                {"o": org_id, "p": p1, "d": date(2026, 11, 24), "n": 2},
                {"o": org_id, "p": p2, "d": date(2026, 11, 22), "n": 1},
            ],
        )

    async def counters() -> list[tuple]:
        async with db.read() as session:
            rows = await session.execute(select(DailyGiven.person_id, DailyGiven.day, DailyGiven.given))
            return sorted(tuple(row) for row in rows)

    await upgrade(db, "0017")
    assert await counters() == [(p1, date(2026, 11, 24), 2), (p2, date(2026, 11, 22), 1)]
    await upgrade(db)  # on to the head, whose schema the models describe
    assert await differences(db) == []

    await downgrade(db, "0016")
    assert await counters() == [(p1, date(2026, 11, 24), 2), (p2, date(2026, 11, 22), 1)]
