"""`rapport goals import FILE` and `rapport goals export`: goals kept elsewhere, brought in all at once.

One row per objective or key result (CSV columns, YAML keys):
`kind` (objective | key result), `ref` (names the objective within the file), `owner` (an email),
`level` (person, team or company; person by default), `title`, `under` (another objective's ref, or
`#N` for one already in Rapport), `due` (YYYY-MM-DD), `start`, `target`, `unit` (a key result without
start and target is a milestone), and `current` (its value now; the start by default).

Everything is checked before anything is written: one problem anywhere, each with its line, and nothing
is imported. Rows come from `adapters/cli/goals.py` as `bot.orgcheck.Row` (values by column, and line).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace as pace
from bot.errors import UserError
from bot.features.goals import talks
from bot.features.goals.common import MAX_KEY_RESULTS, MAX_TITLE, MAX_VALUE, MIN_TITLE, check_title, number
from bot.orgcheck import Problem, Row
from store import goals, people, roles
from store.models import Organisation, Person

COLUMNS = ("kind", "ref", "owner", "level", "title", "under", "due", "start", "target", "unit", "current")
KINDS = {"objective": "objective", "key result": "key_result", "key_result": "key_result", "kr": "key_result"}
LEVELS = ("person", "team", "company")


@dataclass
class Planned:
    line: int
    ref: str
    owner_id: int = 0
    level: str = "person"
    title: str = ""
    under: str | None = None
    due: date | None = None
    key_results: list[dict] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class GoalImport:
    objectives: int = 0
    key_results: int = 0
    problems: list[Problem] = field(default_factory=list)


async def import_rows(
    session: AsyncSession, *, org_id: int, rows: list[Row], now: datetime, cycle: str
) -> GoalImport:
    """Check every row, then write them all in the caller's transaction, or nothing."""
    problems: list[Problem] = []
    emails = {str(r.values.get("owner") or "").strip().lower() for r in rows} - {""}
    found = await people.by_emails(session, org_id=org_id, emails=emails)
    by_email = {email.lower(): person for email, person in found.items()}
    plans = _plan(rows, by_email=by_email, problems=problems, today=now.date())
    await _check_owners(session, org_id=org_id, plans=plans, problems=problems)
    await _check_alignment(session, org_id=org_id, plans=plans, problems=problems)
    if problems:
        return GoalImport(problems=sorted(problems, key=lambda p: p.line))
    first, last = pace.cycle_of(now.date(), kind=cycle)
    ids: dict[str, int] = {}
    count = 0
    for plan in _parents_first(plans):
        objective = await goals.create_objective(
            session,
            org_id=org_id,
            now=now,
            owner_id=plan.owner_id,
            creator_id=plan.owner_id,
            level=plan.level,
            title=plan.title,
            parent_id=_parent_id(plan.under, ids),
            cycle_start=first,
            cycle_end=max(last, plan.due) if plan.due else last,
            due_on=plan.due,
            status="open",
            source="import",
        )
        ids[plan.ref] = objective.id
        for fields in plan.key_results:
            current = fields.pop("current")
            result = await goals.add_key_result(
                session, org_id=org_id, objective=objective, now=now, **fields
            )
            if current is not None:
                result.current_value = current
            count += 1
    owners = {person.id: person for person in by_email.values()}
    await _plan_talks(session, org_id=org_id, owners=[owners[p.owner_id] for p in plans.values()], now=now)
    return GoalImport(objectives=len(plans), key_results=count)


async def _plan_talks(session: AsyncSession, *, org_id: int, owners: list[Person], now: datetime) -> None:
    """The monthly goal conversation of each owner's manager (`talks`), once per owner."""
    org = await session.get(Organisation, org_id)
    for owner in {person.id: person for person in owners}.values():
        await talks.plan_for_owner(session, org=org, owner=owner, now=now)


def _parent_id(under: str | None, ids: dict[str, int]) -> int | None:
    if under is None:
        return None
    return int(under[1:]) if under.startswith("#") else ids[under]


def _parents_first(plans: dict[str, Planned]) -> list[Planned]:
    done: list[Planned] = []
    seen: set[str] = set()

    def visit(plan: Planned) -> None:
        if plan.ref in seen:
            return
        seen.add(plan.ref)
        if plan.under in plans:
            visit(plans[plan.under])
        done.append(plan)

    for plan in plans.values():
        visit(plan)
    return done


def _text(row: Row, name: str) -> str:
    value = row.values.get(name)
    return str(value).strip() if value is not None else ""


def _plan(rows: list[Row], *, by_email: dict, problems: list[Problem], today: date) -> dict[str, Planned]:
    plans: dict[str, Planned] = {}
    for row in rows:
        kind = KINDS.get(_text(row, "kind").lower())
        ref = _text(row, "ref")
        if kind is None:
            problems.append(Problem(line=row.line, message="kind must be “objective” or “key result”"))
        elif not ref:
            problems.append(
                Problem(line=row.line, message="ref is missing: it names the objective in this file")
            )
        elif kind == "objective":
            if ref in plans:
                problems.append(
                    Problem(
                        line=row.line, message=f"ref {ref!r} names two objectives (line {plans[ref].line})"
                    )
                )
                continue
            plans[ref] = _objective(row, ref, by_email=by_email, problems=problems, today=today)
        elif ref not in plans:
            problems.append(Problem(line=row.line, message=f"no objective {ref!r} above this key result"))
        else:
            _key_result(row, plans[ref], problems=problems)
    return plans


def _objective(row: Row, ref: str, *, by_email: dict, problems: list[Problem], today: date) -> Planned:
    plan = Planned(line=row.line, ref=ref, title=_title(row, problems))
    owner = by_email.get(_text(row, "owner").lower())
    if owner is None:
        problems.append(
            Problem(line=row.line, message=f"owner {_text(row, 'owner')!r} is nobody in the organisation")
        )
    else:
        plan.owner_id = owner.id
    plan.level = _text(row, "level").lower() or "person"
    if plan.level not in LEVELS:
        problems.append(
            Problem(line=row.line, message=f"level must be person, team or company, not {plan.level!r}")
        )
    plan.under = _text(row, "under") or None
    due = _text(row, "due")
    if due:
        try:
            plan.due = date.fromisoformat(due)
        except ValueError:
            problems.append(Problem(line=row.line, message=f"due {due!r} is not a date like 2027-03-31"))
        else:
            if plan.due < today:
                problems.append(Problem(line=row.line, message=f"due {due} has already passed"))
    return plan


def _title(row: Row, problems: list[Problem]) -> str:
    title = _text(row, "title")
    try:
        check_title(title)  # as in chat: a Chinese character counts as two towards the least
    except UserError:
        problems.append(
            Problem(line=row.line, message=f"title must have {MIN_TITLE} to {MAX_TITLE} characters")
        )
    return title


def _key_result(row: Row, plan: Planned, *, problems: list[Problem]) -> None:
    if len(plan.key_results) >= MAX_KEY_RESULTS:
        problems.append(
            Problem(
                line=row.line, message=f"objective {plan.ref!r} already has {MAX_KEY_RESULTS} key results"
            )
        )
        return
    title = _title(row, problems)
    start, target, current = (_number(row, name, problems) for name in ("start", "target", "current"))
    if (start is None) != (target is None):
        problems.append(
            Problem(line=row.line, message="give both start and target, or neither for a milestone")
        )
    elif start is not None and start == target:
        problems.append(Problem(line=row.line, message=f"start and target are both {number(start)}"))
    unit = _text(row, "unit") or None
    if unit and len(unit) > 40:
        problems.append(Problem(line=row.line, message="unit can have at most 40 characters"))
    numeric = start is not None and target is not None
    plan.key_results.append(
        {
            "title": title,
            "kind": "number" if numeric else "milestone",
            "start_value": start if numeric else 0.0,
            "target_value": target if numeric else 1.0,
            "unit": unit if numeric else None,
            "current": current if numeric else None,
        }
    )


def _number(row: Row, name: str, problems: list[Problem]) -> float | None:
    text = _text(row, name).replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > MAX_VALUE:
        problems.append(Problem(line=row.line, message=f"{name} {_text(row, name)!r} is not a number"))
        return None
    return value


async def _check_owners(
    session: AsyncSession, *, org_id: int, plans: dict[str, Planned], problems: list[Problem]
) -> None:
    for plan in plans.values():
        if not plan.owner_id:
            continue
        if plan.level == "team" and not await people.reports_of(
            session, org_id=org_id, manager_id=plan.owner_id
        ):
            problems.append(
                Problem(
                    line=plan.line,
                    message="a team objective's owner is the team's manager, and nobody reports to them",
                )
            )
        if plan.level == "company" and not await roles.has_role(
            session, org_id=org_id, person_id=plan.owner_id, role="hr"
        ):
            problems.append(
                Problem(line=plan.line, message="a company objective's owner is someone with the HR role")
            )


async def _check_alignment(
    session: AsyncSession, *, org_id: int, plans: dict[str, Planned], problems: list[Problem]
) -> None:
    for plan in plans.values():
        under = plan.under
        if under is None or (under in plans and not _loops(plan, plans)):
            continue
        if under.startswith("#") and under[1:].isdigit():
            if await goals.objective_by_id(session, org_id=org_id, objective_id=int(under[1:])) is None:
                problems.append(Problem(line=plan.line, message=f"there is no goal {under} in Rapport"))
            continue
        message = (
            f"under {under!r} goes round in a circle"
            if under in plans
            else f"under {under!r} names no objective in this file (or #N in Rapport)"
        )
        problems.append(Problem(line=plan.line, message=message))


def _loops(plan: Planned, plans: dict[str, Planned]) -> bool:
    seen, ref = {plan.ref}, plan.under
    while ref in plans:
        if ref in seen:
            return True
        seen.add(ref)
        ref = plans[ref].under
    return False
