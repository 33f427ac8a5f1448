"""A review's digest dates goal updates and development goals by its reader's calendar, not by UTC's:
23:30 UTC on Tuesday 24 November is Wednesday morning in Shanghai and Tuesday evening in New York."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.features.goals.evidence import GoalEvidence, GoalPart
from bot.features.goals.followup import DevelopmentPart
from bot.features.reviews.agenda import short_day
from bot.i18n import Catalogue
from store.goal_models import DevelopmentGoal, GoalUpdate, KeyResult, Objective

LATE = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
EARLY = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)


def found() -> list[GoalEvidence]:
    objective = Objective(
        id=1,
        org_id=1,
        owner_id=2,
        creator_id=2,
        level="person",
        title="Ship billing v2",
        cycle_start=date(2026, 10, 1),
        cycle_end=date(2026, 12, 31),
        due_on=None,
        status="open",
        override=None,
        override_reason=None,
        drop_reason=None,
        source="chat",
        source_ref=None,
        created_at=EARLY,
        updated_at=LATE,
    )
    result = KeyResult(
        id=7,
        org_id=1,
        objective_id=1,
        position=1,
        title="Migrate customers",
        kind="numeric",
        start_value=0.0,
        target_value=40.0,
        current_value=12.0,
        unit="customers",
        confidence=None,
        status="open",
        told=None,
        created_at=EARLY,
        updated_at=LATE,
    )
    update = GoalUpdate(
        id=3,
        org_id=1,
        key_result_id=7,
        actor_id=2,
        value=12.0,
        confidence=None,
        note=None,
        done=False,
        created_at=LATE,
    )
    return [GoalEvidence(objective=objective, results=[result], updates={7: [update]})]


def done_goal() -> DevelopmentGoal:
    return DevelopmentGoal(
        id=2,
        org_id=1,
        person_id=2,
        creator_id=3,
        skill="Public speaking",
        activity=None,
        support=None,
        due_on=date(2026, 12, 31),
        status="done",
        source="chat",
        source_ref=None,
        created_at=EARLY,
        updated_at=LATE,
        closed_at=LATE,
    )


@pytest.mark.parametrize(("zone", "day"), [("Asia/Shanghai", "Nov 25"), ("America/New_York", "Nov 24")])
def test_a_goal_update_in_the_digest_is_on_the_readers_day(zone, day):
    t = Catalogue.load().messages("en")
    text = "\n".join(
        GoalPart(found(), name="Alice", tz=ZoneInfo(zone)).lines(t, today=TODAY, short_day=short_day)
    )
    assert f"{day}: 12" in text


@pytest.mark.parametrize(("zone", "day"), [("Asia/Shanghai", "Nov 25"), ("America/New_York", "Nov 24")])
def test_a_development_goal_done_is_on_the_readers_day(zone, day):
    t = Catalogue.load().messages("en")
    part = DevelopmentPart(name="Alice", agreed=[done_goal()], day=date(2026, 10, 1), tz=ZoneInfo(zone))
    assert f"done on {day}" in "\n".join(part.lines(t, today=TODAY, short_day=short_day))
