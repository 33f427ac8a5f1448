"""What the previous review carried, in the next review's evidence (issue 18): the goals it drafted for
the cycle after it and whether she confirmed or dropped them (in the digest's goals section), and the
development goals it agreed, done, open or overdue, with her other open ones (in the development
section, `DevelopmentPart`). Under the record's "Development and support" question, her open development
goals. Development goals are always private: only those `bot.access.can_view_development_goal` lets the
reader see are kept."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo

from bot.access import can_view_development_goal
from bot.evidence import Period, Topic
from bot.features.goals import development
from bot.features.goals.carried import SOURCE
from bot.i18n import Messages
from store import goals
from store.goal_models import DevelopmentGoal, Objective

PLAN_STATUSES = ("open", "done", "dropped")


@dataclass(frozen=True, kw_only=True)
class FromReview:
    """The goals the previous review (held on `day`) drafted, as they stand."""

    day: date | None = None
    drafts: list[Objective] = field(default_factory=list)

    def lines(self, t: Messages, *, short_day) -> list[str]:
        if self.day is None or not self.drafts:
            return []
        out = [t("goal.digest_drafted", day=short_day(t, self.day))]
        for o in self.drafts:
            fate = t(f"goal.digest_drafted_{o.status}", id=o.id, title=o.title)
            out.append("    " + (fate + t("goal.digest_note", note=o.drop_reason) if o.drop_reason else fate))
        return out


@dataclass(frozen=True, kw_only=True)
class DevelopmentPart:
    """Her development plan in a review's evidence (a `bot.evidence.Part`): what the previous review
    agreed and what became of it, and her other open development goals."""

    name: str
    day: date | None = None  # the previous review's
    agreed: list[DevelopmentGoal] = field(default_factory=list)
    others: list[DevelopmentGoal] = field(default_factory=list)  # open, not from the previous review
    tz: tzinfo = UTC  # the reader's: a goal done is dated by her calendar

    def lines(self, t: Messages, *, today: date, short_day) -> list[str]:
        out = []
        if self.agreed and self.day is not None:
            out.append(t("goal.digest_idp_agreed", day=short_day(t, self.day)))
            out += ["    " + _fate(t, g, today=today, short_day=short_day, tz=self.tz) for g in self.agreed]
        if self.others:
            out.append(t("goal.digest_idp_open", count=len(self.others)))
            out += ["    " + _fate(t, g, today=today, short_day=short_day, tz=self.tz) for g in self.others]
        return out

    def topics(self, t: Messages, *, today: date) -> list[Topic]:
        """The development goals the previous review agreed that are still open past their date."""
        late = [g for g in self.agreed if g.status == "open" and g.due_on is not None and g.due_on < today]
        if not late:
            return []
        items = t.join(t("goal.digest_idp_topic_item", skill=g.skill, day=t.day(g.due_on)) for g in late)
        return [
            Topic(key="idp_overdue", weight=60 + 5 * len(late), params={"count": len(late), "items": items})
        ]

    def summary(self, t: Messages, *, today: date) -> list[str]:
        return []

    def proposals(self, t: Messages, *, today: date, part: str) -> list[str]:
        """Under the record's "Development and support": her open development goals."""
        still = [g for g in (*self.agreed, *self.others) if g.status == "open"]
        if part != "development" or not still:
            return []
        return [t("goal.record_idp_heading", name=self.name), *(development.line(t, g) for g in still)]


def _fate(t: Messages, goal: DevelopmentGoal, *, today: date, short_day, tz: tzinfo) -> str:
    """ "#2 Public speaking: … · due Mar 31 · done on Mar 20", "… · overdue", "… · open"."""
    text = development.line(t, goal)
    if goal.status == "done" and goal.closed_at is not None:
        return text + t("goal.digest_idp_done_on", day=short_day(t, goal.closed_at.astimezone(tz).date()))
    if goal.status == "open":
        late = goal.due_on is not None and goal.due_on < today
        return text + t("goal.digest_idp_overdue" if late else "goal.digest_idp_still_open")
    return text


async def gather(period: Period) -> tuple[FromReview, DevelopmentPart]:
    """What the previous review carried, and her development plan, as the reader may see them. Two
    indexed queries for the plan and, when there was a previous review, one for its drafts."""
    employee = period.employee
    previous = period.previous
    plan = [
        g
        for g in await goals.development_goals(
            period.session, org_id=period.org_id, person_ids=[employee.id], statuses=PLAN_STATUSES
        )
        if can_view_development_goal(period.reader, g, employee)
    ]
    if previous is None:
        others = [g for g in plan if g.status == "open"]
        return FromReview(), DevelopmentPart(name=employee.display_name, others=others, tz=period.tz)
    ref = str(previous.id)
    drafts = await goals.objectives_from(
        period.session, org_id=period.org_id, owner_id=employee.id, source=SOURCE, source_ref=ref
    )
    agreed = [g for g in plan if g.source == SOURCE and g.source_ref == ref]
    others = [g for g in plan if g.status == "open" and g not in agreed]
    day = previous.starts_at.astimezone(period.tz).date()
    return FromReview(day=day, drafts=drafts), DevelopmentPart(
        name=employee.display_name, day=day, agreed=agreed, others=others, tz=period.tz
    )
