"""Goals in a review's evidence (registered as `router.evidence("goals")`): in the manager's digest, each
objective of the period with its key results, progress against pace, the last confidence and dated
updates as evidence, and the agenda topics they raise (a key result behind or at risk); under the first
question of the employee's self-review, her goals and their state. The digest's reader is the
employee's manager (`bot.access.can_view_digest`), who sees goals with their confidence and notes
(`bot.access.can_view_goal_details`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace as pace
from bot.evidence import Period, Topic
from bot.features.goals import followup
from bot.features.goals.common import number
from bot.features.goals.followup import FromReview
from bot.features.goals.view import kr_line, kr_status, objective_status
from bot.i18n import Messages
from store import goals
from store.goal_models import GoalUpdate, KeyResult, Objective

UPDATES_SHOWN = 3  # the latest few per key result: evidence, not the whole history
SHOWN_STATUSES = ("draft", "open", "done", "dropped")


@dataclass(frozen=True, kw_only=True)
class GoalEvidence:
    objective: Objective
    results: list[KeyResult]
    updates: dict[int, list[GoalUpdate]] = field(default_factory=dict)  # by key result id


@dataclass(frozen=True)
class GoalPart:
    """The goals piece of a review's evidence (a `bot.evidence.Part`): her objectives of the period, and
    what became of those the previous review drafted."""

    found: list[GoalEvidence]
    name: str = ""
    drafted: FromReview = field(default_factory=FromReview)
    tz: tzinfo = UTC  # the reader's: an update is dated by her calendar

    def lines(self, t: Messages, *, today: date, short_day) -> list[str]:
        return lines(t, self.found, today=today, short_day=short_day, tz=self.tz) + self.drafted.lines(
            t, short_day=short_day
        )

    def topics(self, t: Messages, *, today: date) -> list[Topic]:
        """Key results behind their pace, then those at risk: what the goals part of the meeting is for."""
        out = []
        for status, key, weight in TOPICS:
            pairs = troubled(self.found, today=today, status=status)
            if pairs:
                params = {"count": len(pairs), "items": topic_items(t, pairs)}
                out.append(Topic(key=key, weight=weight + 5 * len(pairs), params=params))
        return out

    def summary(self, t: Messages, *, today: date) -> list[str]:
        return summary(t, self.found, today=today)

    def proposals(self, t: Messages, *, today: date, part: str) -> list[str]:
        """Under the record's "Goals and results": her objectives of the period and their state."""
        if part != "goals" or not self.found:
            return []
        return [t("goal.record_heading", name=self.name), *summary(t, self.found, today=today)[1:]]


async def contribute(period: Period) -> Mapping[str, Any]:
    """The goals piece of the period, for the review's evidence."""
    found = await gather(
        period.session,
        org_id=period.org_id,
        employee_id=period.employee.id,
        since=period.since,
        until=period.until,
    )
    drafted, plan = await followup.gather(period)
    part = GoalPart(found, name=period.employee.display_name, drafted=drafted, tz=period.tz)
    return {"goals": part, "development": plan}


async def gather(
    session: AsyncSession, *, org_id: int, employee_id: int, since: datetime, until: datetime
) -> list[GoalEvidence]:
    """The employee's objectives whose cycle overlaps the period, with their key results and the latest
    updates of each made in the period (those the digest shows). Three indexed queries, whatever the
    number of goals."""
    found = [
        o
        for o in await goals.objectives(
            session, org_id=org_id, owner_ids=[employee_id], statuses=SHOWN_STATUSES
        )
        if o.cycle_end >= since.date() and o.cycle_start <= until.date()
    ]
    results = await goals.key_results(session, org_id=org_id, objective_ids=[o.id for o in found])
    by_result: dict[int, list[GoalUpdate]] = {}
    found_updates = await goals.updates_between(
        session,
        org_id=org_id,
        key_result_ids=[kr.id for kr in results],
        since=since,
        until=until,
        latest=UPDATES_SHOWN,
    )
    for update in found_updates:
        by_result.setdefault(update.key_result_id, []).append(update)
    return [
        GoalEvidence(
            objective=o,
            results=[kr for kr in results if kr.objective_id == o.id and kr.status != "dropped"],
            updates=by_result,
        )
        for o in found
    ]


def lines(t: Messages, found: list[GoalEvidence], *, today: date, short_day, tz: tzinfo) -> list[str]:
    """The digest's goal lines: each objective, its key results with the bar and pace, and the latest
    updates, dated."""
    out = []
    for item in found:
        o = item.objective
        out.append(t("goal.digest_objective", id=o.id, title=o.title, state=_state(t, item, today)))
        for kr in item.results:
            out.append("    " + kr_line(t, o, kr, today=today, confidence=True))
            for update in item.updates.get(kr.id, [])[-UPDATES_SHOWN:]:
                out.append("        " + _update(t, update, short_day=short_day, tz=tz))
    return out


def summary(t: Messages, found: list[GoalEvidence], *, today: date) -> list[str]:
    """Her goals and their state, without the history (under the self-review's first question)."""
    if not found:
        return []
    out = [t("goal.self_review_heading")]
    for item in found:
        o = item.objective
        out.append(t("goal.digest_objective", id=o.id, title=o.title, state=_state(t, item, today)))
        out += ["    " + kr_line(t, o, kr, today=today, confidence=True) for kr in item.results]
    return out


def _state(t: Messages, item: GoalEvidence, today: date) -> str:
    o = item.objective
    if o.status in ("draft", "done", "dropped"):
        return t(f"goal.status_{o.status}")
    return t(f"goal.state_{objective_status(o, item.results, today)}")


def _update(t: Messages, update: GoalUpdate, *, short_day, tz: tzinfo) -> str:
    key = "goal.digest_update_done" if update.done else "goal.digest_update"
    text = t(key, day=short_day(t, update.created_at.astimezone(tz).date()), value=number(update.value))
    if update.confidence is not None:
        text += t("goal.confidence_suffix", confidence=update.confidence)
    if update.note:
        text += t("goal.digest_note", note=update.note)
    return text


def troubled(found: list[GoalEvidence], *, today: date, status: str) -> list[tuple[Objective, KeyResult]]:
    """The open key results of open objectives in `status` (behind, at risk) today."""
    return [
        (item.objective, kr)
        for item in found
        if item.objective.status == "open"
        for kr in item.results
        if kr.status == "open" and kr_status(item.objective, kr, today) == status
    ]


def topic_items(t: Messages, pairs: list[tuple[Objective, KeyResult]]) -> str:
    """ "“Migrate customers” (12/40, pace 15)" for each, joined as the language lists things."""
    return t.join(
        t(
            "goal.digest_topic_item",
            title=kr.title,
            current=number(kr.current_value),
            target=number(kr.target_value),
        )
        for _, kr in pairs
    )


TOPICS = ((pace.BEHIND, "goals_behind", 72), (pace.AT_RISK, "goals_at_risk", 55))
