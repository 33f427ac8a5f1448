"""Rapport's home (the platform's home tab, where it has one): one person's recent kudos, open actions,
their team's actions when they manage people, and their next check-in. Later features add their own
section here."""

from __future__ import annotations

from bot.dates import format_day, format_when
from bot.features.actions.common import due_text, local_now
from bot.features.checkins import cycle
from bot.i18n import Messages
from bot.replies import Context, Reply, Text
from bot.router import Router
from bot.turn import Turn
from store import actions, due_work, kudos, people
from store.models import Kudos, Person

RECENT_KUDOS = 5
MAX_ACTIONS = 15
MAX_LINE = 200  # a kudos message is quoted, not reprinted


async def home(turn: Turn) -> Reply:
    """The person's home view, newest first in each section."""
    t, session, org_id, me = turn.t, turn.session, turn.org.id, turn.person
    received = await kudos.received(session, org_id=org_id, person_id=me.id, limit=RECENT_KUDOS)
    given = await kudos.given(session, org_id=org_id, person_id=me.id, limit=RECENT_KUDOS)
    ids = {k.giver_id for k in received} | {r.person_id for k in given for r in k.recipients}
    names = await people.names(session, org_id=org_id, person_ids=ids)
    parts: list = [Text(text=t("home.title", name=me.display_name))]
    parts += _section(t("home.kudos_received"), [_kudos_line(turn, k, names[k.giver_id]) for k in received])
    parts += _section(
        t("home.kudos_given"),
        [_kudos_line(turn, k, t.join([names[r.person_id] for r in k.recipients])) for k in given],
    )
    parts += await _actions(turn)
    parts += await _next_checkin(turn)
    return Reply(parts=tuple(parts), summary=t("home.title", name=me.display_name))


def _section(heading: str, lines: list[str], *, empty: str = "") -> list:
    body = "\n".join(lines) if lines else empty
    return [Text(text=f"*{heading}*"), Text(text=body) if body else Context(text="—")]


def _kudos_line(turn: Turn, item: Kudos, who: str) -> str:
    message = item.message if len(item.message) <= MAX_LINE else item.message[: MAX_LINE - 1] + "…"
    day = format_day(turn.t, item.created_at.astimezone(local_now(turn, turn.person).tzinfo).date())
    return "• " + turn.t("home.kudos_line", who=who, message=message, day=day)


async def _actions(turn: Turn) -> list:
    t, me = turn.t, turn.person
    mine = await actions.owned_by(turn.session, org_id=turn.org.id, owner_ids=[me.id])
    parts = _section(t("home.actions_mine"), _action_lines(turn, mine[:MAX_ACTIONS], with_owner=False))
    reports = await people.reports_of(turn.session, org_id=turn.org.id, manager_id=me.id)
    if not reports:
        return parts
    team = await actions.owned_by(turn.session, org_id=turn.org.id, owner_ids=[p.id for p in reports])
    overdue = [(a, o) for a, o in team if _is_overdue(turn, a, o)]
    heading = t("home.actions_team", open=len(team), overdue=len(overdue))
    shown = overdue + [row for row in team if row not in overdue]
    return parts + _section(heading, _action_lines(turn, shown[:MAX_ACTIONS], with_owner=True))


def _is_overdue(turn: Turn, action, owner: Person) -> bool:
    return action.due_on is not None and action.due_on < local_now(turn, owner).date()


def _action_lines(turn: Turn, rows, *, with_owner: bool) -> list[str]:
    t: Messages = turn.t
    lines = []
    for action, owner in rows:
        due = due_text(t, action, today=local_now(turn, owner).date())
        params = {"id": action.id, "title": action.title, "due": due, "owner": owner.display_name}
        lines.append("• " + t("action.line_owner" if with_owner else "action.line", **params))
    return lines


async def _next_checkin(turn: Turn) -> list:
    t, me = turn.t, turn.person
    due = await due_work.pending(turn.session, org_id=turn.org.id, kind=cycle.PROMPT, subject=me.id)
    if not due:
        return [Context(text=t("home.no_checkin"))]
    return [Text(text=t("home.next_checkin", when=format_when(t, due[0].run_at, turn.zone_for(me))))]


def register(router: Router) -> None:
    router.home(home)
