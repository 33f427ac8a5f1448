"""The monthly goal conversation: on the first working day of each month, 10:00 where the manager
lives, a manager gets one DM per direct report who has open goals this cycle: the report's progress
(as `/goal show` draws it, as far as `bot.access` lets the manager see it), a question to open with
(chosen by the goals' state) and "Had the talk? [Yes] [Later]".

There is one row of due work per manager (kind "goal.talk", subject the manager's id), planned when
a goal is set for one of their reports and again after each run while a report still has open goals.
A conversation row per manager, report and month is written with its DM (`store.goal_conversations`),
so a second run in the same month (twice planned, or run again after a crash) sends nothing. Yes
records the conversation as held, once; Later records nothing and sends no reminder: the Yes button
stays on the message for when the talk has happened.

A run that finds the manager away (or the day made a holiday after it was planned) moves to 10:00 on
their first working day back, and the month's DMs come then; one that finds them muted is skipped, its
reason recorded, like every reminder, and the next month is planned. A report moved to another manager
(`follow_managers`, from the org import) has the new manager's run planned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import goal_pace as pace
from bot.access import can_view_goal, can_view_goal_details
from bot.dates import format_day
from bot.events import Action
from bot.features.goals.view import kr_line, objective_line, objective_status
from bot.i18n import Messages
from bot.jobs import JobContext, Outcome
from bot.replies import Button, Buttons, Reply, Text
from bot.turn import Turn
from bot.workdays import REMINDER_AT, is_working_day, next_working_day, person_zone
from store import due_work, goal_conversations, goals, people, presence
from store.checkin_models import DueWork
from store.goal_models import GoalConversation, KeyResult, Objective
from store.models import Organisation, Person
from store.types import parse_id

KIND = "goal.talk"
HELD_ACTION = "goal.talk_held"
LATER_ACTION = "goal.talk_later"
MOVES_CHUNK = 1000  # moved people looked up per query
QUIET = timedelta(days=14)  # no key result updated (or set) for this long: ask whether the goals still fit


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_name(t: Messages, key: str) -> str:
    year, month = key.split("-")
    return t("goal_talk.month", name=t("goal_talk.months").split(",")[int(month) - 1], year=year)


async def plan(
    session: AsyncSession, *, org: Organisation, manager: Person, after: datetime, now: datetime
) -> None:
    """The manager's next monthly run: the first working day of the month after `after`, 10:00 local."""
    tz = person_zone(manager, org)
    local = after.astimezone(tz).date()
    first = date(local.year + local.month // 12, local.month % 12 + 1, 1)
    holidays = await presence.holidays(session, org_id=org.id, start=first, end=first + timedelta(days=21))
    day = first if is_working_day(first, holidays) else next_working_day(first, holidays)
    at = datetime.combine(day, REMINDER_AT, tzinfo=tz).astimezone(UTC)
    await due_work.add_due(session, org_id=org.id, kind=KIND, subject=manager.id, run_at=at, now=now)


async def plan_for_owner(session: AsyncSession, *, org: Organisation, owner: Person, now: datetime) -> None:
    """A goal was set for `owner`: their manager's monthly run is planned (once, whatever the number)."""
    if owner.manager_id is None or owner.manager_id == owner.id:
        return
    manager = await people.by_id(session, org_id=org.id, person_id=owner.manager_id)
    if manager is not None and manager.erased_at is None:
        await plan(session, org=org, manager=manager, after=now, now=now)


async def follow_managers(
    session: AsyncSession, *, org: Organisation, moves: Mapping[int, int | None], now: datetime
) -> None:
    """People moved to another manager (`moves`: person → new manager): the new manager of each one with
    open goals, this cycle or a later one, has their monthly run planned (the old manager's run finds
    them no longer a report)."""
    moved = list(moves)
    owners: set[int] = set()
    for start in range(0, len(moved), MOVES_CHUNK):
        owners |= await goal_conversations.with_open_goals(
            session, org_id=org.id, owner_ids=moved[start : start + MOVES_CHUNK], today=now.date(), ahead=True
        )
    for manager_id in sorted({moves[o] for o in owners if moves[o] not in (None, o)}):
        manager = await people.by_id(session, org_id=org.id, person_id=manager_id)
        if manager is not None and manager.erased_at is None:
            await plan(session, org=org, manager=manager, after=now, now=now)


async def _moved(ctx: JobContext, manager: Person) -> str | None:
    """Away today, or today made a holiday after planning: the run moves to 10:00 on the manager's
    first working day back, and says why; None on a working day they are here."""
    tz = person_zone(manager, ctx.org)
    today = ctx.now.astimezone(tz).date()
    away = await presence.availability(ctx.session, org_id=ctx.org.id, person_id=manager.id)
    last = away.away_until if away is not None else None  # their last day away
    here = last is None or last < today
    holidays = await presence.holidays(
        ctx.session, org_id=ctx.org.id, start=today, end=(today if here else last) + timedelta(days=21)
    )
    if here and is_working_day(today, holidays):
        return None
    at = datetime.combine(next_working_day(today if here else last, holidays), REMINDER_AT, tzinfo=tz)
    await due_work.add_due(
        ctx.session, org_id=ctx.org.id, kind=KIND, subject=manager.id, run_at=at.astimezone(UTC), now=ctx.now
    )
    return "holiday: moved to the next working day" if here else "away: moved to the first working day back"


async def _muted(ctx: JobContext, manager: Person) -> bool:
    away = await presence.availability(ctx.session, org_id=ctx.org.id, person_id=manager.id)
    return away is not None and away.muted_until is not None and away.muted_until > ctx.now


async def offer(ctx: JobContext, row: DueWork) -> Outcome:
    """One DM per report with open goals this cycle, not offered yet this month; the next month planned."""
    session, org_id = ctx.session, ctx.org.id
    manager = await people.by_id(session, org_id=org_id, person_id=row.subject)
    if manager is None or manager.erased_at is not None:
        return Outcome(status="skipped", note="no such manager")
    moved = await _moved(ctx, manager)
    if moved is not None:
        return Outcome(status="skipped", note=moved)
    muted = await _muted(ctx, manager)
    today = ctx.now.astimezone(person_zone(manager, ctx.org)).date()
    found = await people.reports_of(session, org_id=org_id, manager_id=manager.id)
    reports = [r for r in found if r.erased_at is None]
    owner_ids = [r.id for r in reports]
    with_goals = await goal_conversations.with_open_goals(
        session, org_id=org_id, owner_ids=owner_ids, today=today
    )
    sent = [
        await _offer_one(ctx, manager=manager, report=r, today=today)
        for r in reports
        if r.id in with_goals and not muted
    ]
    # Planned again while a report has goals this cycle or a later one (a draft confirmed for next quarter).
    if await goal_conversations.with_open_goals(
        session, org_id=org_id, owner_ids=owner_ids, today=today, ahead=True
    ):
        await plan(session, org=ctx.org, manager=manager, after=max(ctx.now, row.run_at), now=ctx.now)
    if not with_goals:
        return Outcome(status="skipped", note="no report has open goals this cycle")
    if muted:
        return Outcome(status="skipped", note="muted")
    return Outcome(status="done", note=f"{sum(sent)} offered")


async def _offer_one(ctx: JobContext, *, manager: Person, report: Person, today: date) -> bool:
    """The DM about one report, unless this month's was offered already."""
    talk_id = await goal_conversations.offer(
        ctx.session,
        org_id=ctx.org.id,
        manager_id=manager.id,
        report_id=report.id,
        month=month_key(today),
        now=ctx.now,
    )
    if talk_id is None:
        return False
    reply = await _message(ctx, manager=manager, report=report, talk_id=talk_id, today=today)
    await ctx.send_dm(to=manager, reply=reply)
    return True


async def _message(ctx: JobContext, *, manager: Person, report: Person, talk_id: int, today: date) -> Reply:
    session, org_id = ctx.session, ctx.org.id
    t = ctx.messages_for(manager)
    chain = await goals.manager_chain(session, org_id=org_id, person=report)
    found = await _their_goals(
        session, org_id=org_id, manager=manager, report=report, chain=chain, today=today
    )
    details = can_view_goal_details(manager, report, chain=chain)
    results = await goals.key_results(session, org_id=org_id, objective_ids=[o.id for o in found])
    lines = [t("goal_talk.intro", name=report.display_name, month=month_name(t, month_key(today)))]
    for objective in found:
        mine = [kr for kr in results if kr.objective_id == objective.id and kr.status != "dropped"]
        lines.append(objective_line(t, objective, mine, today=today))
        lines += [f"  {kr_line(t, objective, kr, today=today, confidence=details)}" for kr in mine]
    question = await _question(session, org_id=org_id, found=found, results=results, now=ctx.now, today=today)
    lines += [t("goal_talk.question", question=t(question)), t("goal_talk.ask")]
    text = "\n".join(lines)
    buttons = Buttons(
        buttons=(
            Button(label=t("goal_talk.yes"), action_id=HELD_ACTION, value=str(talk_id), style="primary"),
            Button(label=t("goal_talk.later"), action_id=LATER_ACTION, value=str(talk_id)),
        )
    )
    return Reply(parts=(Text(text=text), buttons), summary=lines[0])


async def _their_goals(
    session: AsyncSession, *, org_id: int, manager: Person, report: Person, chain: list[int], today: date
) -> list[Objective]:
    """The report's open objectives of the cycle under way that the manager may see (`chain`: the
    report's managers, as `goals.manager_chain` gives them)."""
    private, _ = await goals.settings(session, org_id=org_id)
    return [
        o
        for o in await goals.objectives(session, org_id=org_id, owner_ids=[report.id], statuses=("open",))
        if o.cycle_start <= today <= o.cycle_end
        and can_view_goal(manager, o, report, private=private, chain=chain, is_hr=False)
    ]


async def _question(
    session: AsyncSession,
    *,
    org_id: int,
    found: list[Objective],
    results: list[KeyResult],
    now: datetime,
    today: date,
) -> str:
    """At risk or behind first; else quiet (nothing set or updated for two weeks); else on track."""
    by_objective = {
        o.id: [kr for kr in results if kr.objective_id == o.id and kr.status != "dropped"] for o in found
    }
    if any(objective_status(o, by_objective[o.id], today) != pace.ON_TRACK for o in found):
        return "goal_talk.question_at_risk"
    since = now - QUIET
    recent = await goals.updates_between(
        session, org_id=org_id, key_result_ids=[kr.id for kr in results], since=since, until=now, latest=1
    )
    newly_set = any(o.created_at > since for o in found) or any(kr.created_at > since for kr in results)
    return "goal_talk.question_on_track" if recent or newly_set else "goal_talk.question_stale"


async def _mine(turn: Turn) -> GoalConversation | None:
    """The conversation a button names, if it is the presser's to record."""
    event = turn.event
    assert isinstance(event, Action)
    talk_id = parse_id(event.value)
    talk = talk_id and await goal_conversations.by_id(
        turn.session, org_id=turn.org.id, conversation_id=talk_id
    )
    return talk if talk and talk.manager_id == turn.person.id else None


async def held_button(turn: Turn) -> Reply:
    """Yes: the conversation is recorded as held, once."""
    talk = await _mine(turn)
    if talk is None:
        return Reply.text(turn.t("goal_talk.not_found"))
    name = await _name(turn, talk)
    recorded = await goal_conversations.mark_held(
        turn.session, org_id=turn.org.id, conversation_id=talk.id, now=turn.clock.now()
    )
    if recorded:
        return Reply.text(turn.t("goal_talk.held", name=name))
    await turn.session.refresh(talk)
    day = format_day(turn.t, talk.held_at.astimezone(person_zone(turn.person, turn.org)).date())
    return Reply.text(turn.t("goal_talk.already", name=name, month=month_name(turn.t, talk.month), day=day))


async def _name(turn: Turn, talk: GoalConversation) -> str:
    report = await people.by_id(turn.session, org_id=turn.org.id, person_id=talk.report_id)
    return report.display_name if report else "—"


async def later_button(turn: Turn) -> Reply:
    """Later: nothing recorded, no reminder; Yes stays on the message."""
    talk = await _mine(turn)
    if talk is None:
        return Reply.text(turn.t("goal_talk.not_found"))
    return Reply.text(turn.t("goal_talk.later_reply", name=await _name(turn, talk)))
