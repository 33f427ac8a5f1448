"""Migration 0026 on both databases: pulse answers already shown become a first batch, fewer stay held;
an anonymous answer of someone erased before it is marked erased; and it goes back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select, text

from store import directory
from store.db import Database
from store.feedback_request_models import FeedbackAsk
from store.migrate import differences, downgrade, upgrade
from store.models import Organisation
from store.review_record_models import ReviewPulse
from tests.conftest import BACKENDS
from tests.migrating import database_at

NOW = datetime(2026, 11, 24, 9, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def at_0025(request, tmp_path):
    """A database migrated to 0025 only, on each backend."""
    async with database_at(request.param, "0025", tmp_path) as db:
        yield db


async def _seed(db: Database) -> dict[str, int]:
    """Carol has three pulse answers (shown until now), Dan two (never shown); Bob, since erased,
    answered an anonymous request that Erin answered too."""
    async with db.transaction() as session:
        org_id = await session.scalar(
            insert(Organisation)
            .values(slug="acme", name="Acme", default_locale="en", company_values=[], created_at=NOW)
            .returning(Organisation.id)
        )
        handles = ("alice", "bob", "carol", "dan", "erin")
        ids = await directory.insert_many(
            session,
            org_id=org_id,
            people=[{"email": f"{h}@acme.example", "display_name": h, "handle": h} for h in handles],
            now=NOW,
        )
        ids = {h: ids[f"{h}@acme.example"] for h in handles}
        carol = [("carol", "2026-W45"), ("carol", "2026-W47"), ("carol", "2026-W46")]
        pulses = [*carol, ("dan", "2026-W47"), ("dan", "2026-W48")]
        for manager, week in pulses:
            await session.execute(
                text(
                    "INSERT INTO review_pulse (org_id, manager_id, room_to_speak, next_steps, useful, week) "
                    "VALUES (:o, :m, 1, 1, 4, :w)"
                ),
                {"o": org_id, "m": ids[manager], "w": week},
            )
        await session.execute(
            text(
                "INSERT INTO feedback_request (org_id, requester_id, anonymous, threshold, status, closes_at, "
                "batches, created_at) VALUES (:o, :r, :a, 3, 'open', :t, 0, :t)"
            ),
            {"o": org_id, "r": ids["alice"], "a": True, "t": NOW},
        )
        for handle in ("bob", "erin"):
            await session.execute(
                text(
                    "INSERT INTO feedback_ask (org_id, request_id, respondent_id, status) "
                    "VALUES (:o, (SELECT max(id) FROM feedback_request), :p, 'answered')"
                ),
                {"o": org_id, "p": ids[handle]},
            )
        await session.execute(
            text("UPDATE person SET erased_at = :t WHERE id = :p"), {"t": NOW, "p": ids["bob"]}
        )
    return ids


async def test_migration_0026_releases_what_was_shown_marks_erased_answers_and_goes_back(at_0025):
    db = at_0025
    ids = await _seed(db)
    await upgrade(db, "0026")
    await upgrade(db)  # and on to the head, which the models describe
    assert await differences(db) == []
    async with db.read() as session:
        pulses = (
            await session.execute(
                select(ReviewPulse.manager_id, ReviewPulse.batch, ReviewPulse.released_week)
            )
        ).all()
        asks = dict((await session.execute(select(FeedbackAsk.respondent_id, FeedbackAsk.status))).all())
    assert sorted((m, b or 0, w or "") for m, b, w in pulses) == sorted(
        [(ids["carol"], 1, "2026-W47")] * 3 + [(ids["dan"], 0, "")] * 2
    )
    assert asks == {ids["bob"]: "erased", ids["erin"]: "answered"}

    await downgrade(db, "0025")
    async with db.read() as session:
        statuses = set((await session.execute(text("SELECT status FROM feedback_ask"))).scalars())
    assert statuses == {"answered"}
