"""`/action list [mine|@person|team]`."""

from __future__ import annotations

from bot.access import can_view_action
from bot.errors import UserError
from bot.events import Command
from bot.features.actions.common import due_text, local_now
from bot.parse import person_refs, tokenize
from bot.people import resolve_refs
from bot.replies import Reply, Text
from bot.turn import Turn
from store import actions, people


async def list_actions(turn: Turn, text: str) -> Reply:
    """Open actions: one's own (default), a person's (those the viewer may see), or one's team's."""
    what = text.strip().lower()
    if what in ("", "mine", "我的"):
        rows = await actions.owned_by(turn.session, org_id=turn.org.id, owner_ids=[turn.person.id])
        return _render(turn, turn.t("action.list_mine"), rows, with_owner=False)
    if what in ("team", "团队"):
        reports = await people.reports_of(turn.session, org_id=turn.org.id, manager_id=turn.person.id)
        if not reports:
            raise UserError("action.no_team")
        rows = await actions.owned_by(turn.session, org_id=turn.org.id, owner_ids=[p.id for p in reports])
        return _render(turn, turn.t("action.list_team"), rows, with_owner=True)
    event = turn.event
    assert isinstance(event, Command)
    refs = person_refs(tokenize(text, mentions=event.mentions))
    if len(refs) != 1:
        raise UserError("action.bad_list")
    person = (await resolve_refs(turn, refs))[refs[0]]
    rows = await actions.owned_by(turn.session, org_id=turn.org.id, owner_ids=[person.id])
    visible = [(a, o) for a, o in rows if can_view_action(turn.person, a, o)]
    return _render(turn, turn.t("action.list_of", name=person.display_name), visible, with_owner=False)


def _render(turn: Turn, heading: str, rows, *, with_owner: bool) -> Reply:
    t = turn.t
    lines = []
    for action, owner in rows:
        due = due_text(t, action, today=local_now(turn, owner).date())
        if action.status == "proposed":
            due += t("action.proposed_mark")
        params = {"id": action.id, "title": action.title, "due": due, "owner": owner.display_name}
        lines.append("• " + t("action.line_owner" if with_owner else "action.line", **params))
    body = "\n".join(lines) or t("action.list_empty")
    return Reply(parts=(Text(text=heading), Text(text=body)), summary=heading)
