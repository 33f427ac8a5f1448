"""What a review's record carries into the next period (issue 18): goals for the next cycle, drafted for
the employee to confirm (the drafts `/goal next` makes), and development goals from "Development and
support" (the IDP). The record form checks both while it is on their steps
(`bot.features.goals.drafts.read_titles`, `read_plan`), and writes them in the record's transaction when it is finished (`carry`), each linked to
the meeting (`source="review"`, `source_ref` the meeting's id), so that the next digest can say what
became of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace as pace
from bot.dates import parse_day
from bot.errors import UserError
from bot.features.goals import development
from bot.features.goals.drafts import CONFIRM_ACTION
from bot.i18n import Messages
from bot.replies import Button
from bot.workdays import person_zone
from store import goals
from store.goal_models import DevelopmentGoal, Objective
from store.models import Organisation, Person

LINES = re.compile(r"\s*\n\s*")
MAX_DEVELOPMENT = 3
SOURCE = "review"


@dataclass(frozen=True, kw_only=True)
class Planned:
    """A development goal as typed at the review, its due day read (never guessed)."""

    skill: str
    activity: str | None = None
    support: str | None = None
    due_on: date | None = None
    typed: str = ""

    def text(self) -> str:
        """As the form keeps it: as typed, in the words of whoever typed it, its date written as the day
        it was read as (`支持：一个演示时段；截止 下周五` kept as `支持：一个演示时段；截止 2027-03-05`)."""
        return development.with_day(self.typed, self.due_on) if self.due_on else self.typed


class LineRefused(UserError):
    """A development goal refused, with which of the lines it is (`line`, from 1) and the line."""

    def __init__(self, error: UserError, *, line: int, item: str) -> None:
        super().__init__(error.key, field=error.field, **error.params)
        self.line, self.item = line, item


@dataclass(frozen=True, kw_only=True)
class Carried:
    """What a meeting carried into the next period, as it stands."""

    drafts: list[Objective] = field(default_factory=list)
    development: list[DevelopmentGoal] = field(default_factory=list)

    def lines(self, t: Messages, *, for_owner: bool = False) -> list[str]:
        """The record's lines about them: the goals drafted for the next cycle (`for_owner`: with how
        she confirms them), the development goals."""
        out = []
        if self.drafts:
            drafted = [
                t("goal.carried_draft", id=o.id, title=o.title, state=_state(t, o)) for o in self.drafts
            ]
            start = t.day(self.drafts[0].cycle_start)
            head = t("goal.carried_drafts", count=len(self.drafts), start=start)
            waiting = [o for o in self.drafts if o.status == "draft"]
            hint = [t("goal.carried_confirm", count=len(waiting))] if for_owner and waiting else []
            out.append("\n".join([head, *drafted, *hint]))
        if self.development:
            plan = [development.line(t, g) for g in self.development]
            out.append("\n".join([t("goal.carried_development", count=len(self.development)), *plan]))
        return out

    def buttons(self, t: Messages) -> tuple[Button, ...]:
        """A button to confirm each draft still waiting (for the employee's copy of the record)."""
        return tuple(
            Button(label=t("goal.confirm_button", id=o.id), action_id=CONFIRM_ACTION, value=str(o.id))
            for o in self.drafts
            if o.status == "draft"
        )


def _state(t: Messages, objective: Objective) -> str:
    return (
        ""
        if objective.status == "draft"
        else t("goal.carried_state", state=t(f"goal.status_{objective.status}"))
    )


def read_plan(text: str, *, now: datetime) -> list[Planned]:
    """One development goal a line, each as `/goal idp add` reads it (`Skill: activity; support: …;
    by DATE`); a date that cannot be read for sure is asked back (`bot.dates.parse_day`), seen at `now`
    (aware, in the employee's zone)."""
    items = [item for item in LINES.split(text.strip()) if item]
    if not items:
        raise UserError("goal.idp_usage")
    if len(items) > MAX_DEVELOPMENT:
        raise UserError("goal.carried_too_many", max=MAX_DEVELOPMENT)
    planned = []
    for line, item in enumerate(items, start=1):
        try:
            planned.append(_read_line(item, now=now))
        except UserError as error:
            raise LineRefused(error, line=line, item=item) from error
    return planned


def _read_line(item: str, *, now: datetime) -> Planned:
    fields = development.read_fields(item)
    due = parse_day(fields["due"], now=now) if fields["due"] else None
    return Planned(
        skill=fields["skill"] or "",
        activity=fields["activity"],
        support=fields["support"],
        due_on=due,
        typed=item,
    )


def local_now(*, employee: Person, org: Organisation, now: datetime) -> datetime:
    """`now` where the employee is: the day her dates are read in."""
    return now.astimezone(person_zone(employee, org))


async def carried(session: AsyncSession, *, org_id: int, employee_id: int, meeting_id: int) -> Carried:
    """What the meeting carried for the employee, whatever became of it since."""
    ref = str(meeting_id)
    return Carried(
        drafts=await goals.objectives_from(
            session, org_id=org_id, owner_id=employee_id, source=SOURCE, source_ref=ref
        ),
        development=await goals.development_goals_from(
            session, org_id=org_id, person_id=employee_id, source=SOURCE, source_ref=ref
        ),
    )


async def carry(
    session: AsyncSession,
    *,
    org: Organisation,
    meeting_id: int,
    employee: Person,
    author: Person,
    titles: list[str],
    plan: list[Planned],
    now: datetime,
) -> Carried:
    """Draft the goals and add the development goals the record names that the meeting has not carried
    yet (an amended record adds what is new and keeps what is there), and return all it carried."""
    before = await carried(session, org_id=org.id, employee_id=employee.id, meeting_id=meeting_id)
    have = {o.title.casefold() for o in before.drafts}
    _, cycle = await goals.settings(session, org_id=org.id)
    first, last = pace.next_cycle(local_now(employee=employee, org=org, now=now).date(), kind=cycle)
    common = dict(org_id=org.id, now=now, creator_id=author.id, source=SOURCE, source_ref=str(meeting_id))
    drafts = [
        await goals.create_objective(
            session,
            owner_id=employee.id,
            level="person",
            title=title,
            cycle_start=first,
            cycle_end=last,
            status="draft",
            **common,
        )
        for title in dict.fromkeys(titles)
        if title.casefold() not in have
    ]
    known = {g.skill.casefold() for g in before.development}
    added = [
        await goals.create_development_goal(
            session,
            person_id=employee.id,
            skill=p.skill,
            activity=p.activity,
            support=p.support,
            due_on=p.due_on,
            status="open",
            **common,
        )
        for p in plan
        if p.skill.casefold() not in known
    ]
    return Carried(drafts=[*before.drafts, *drafts], development=[*before.development, *added])
