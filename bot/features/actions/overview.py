"""A manager's view of the team's actions, overdue first: `/action list team` in short, and what the
App Home will show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.actions.common import due_text
from bot.i18n import Messages
from bot.replies import Reply, Section, Text
from bot.workdays import person_zone
from store import actions, people
from store.action_models import ActionItem
from store.models import Organisation, Person


def is_overdue(action: ActionItem, owner: Person, *, org: Organisation, now: datetime) -> bool:
    """Open, and its due date has passed where its owner lives."""
    today = now.astimezone(person_zone(owner, org)).date()
    return action.status == "open" and action.due_on is not None and action.due_on < today


async def team_overview(
    session: AsyncSession, *, org_id: int, manager: Person, t: Messages, now: datetime
) -> Reply:
    """The open and overdue actions of the manager's direct reports, in the manager's language.

    Built from a session rather than a turn, so that an App Home view can call it as well as a command.
    """
    reports = await people.reports_of(session, org_id=org_id, manager_id=manager.id)
    if not reports:
        return Reply.text(t("action_overview.no_team"))
    rows = await actions.owned_by(session, org_id=org_id, owner_ids=[p.id for p in reports])
    org = await session.get(Organisation, org_id)
    assert org is not None
    overdue = [(a, o) for a, o in rows if is_overdue(a, o, org=org, now=now)]
    still_open = [(a, o) for a, o in rows if not is_overdue(a, o, org=org, now=now)]
    parts = (
        Text(text=t("action_overview.heading")),
        Section(
            text=t("action_overview.overdue", count=len(overdue))
            + "\n"
            + _lines(t, overdue, org=org, now=now)
        ),
        Section(
            text=t("action_overview.open", count=len(still_open))
            + "\n"
            + _lines(t, still_open, org=org, now=now)
        ),
    )
    return Reply(parts=parts, summary=t("action_overview.heading"))


def _lines(t: Messages, rows: list[tuple[ActionItem, Person]], *, org: Organisation, now: datetime) -> str:
    lines = []
    for action, owner in rows:
        due = due_text(t, action, today=now.astimezone(person_zone(owner, org)).date())
        if action.status == "proposed":
            due += t("action.proposed_mark")
        params = {"id": action.id, "title": action.title, "due": due, "owner": owner.display_name}
        lines.append("• " + t("action.line_owner", **params))
    return "\n".join(lines) or t("action_overview.none")
