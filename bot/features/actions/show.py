"""`/action show N`: one action, where it stands, and everything that happened to it."""

from __future__ import annotations

from datetime import date

from bot.dates import format_day
from bot.features.actions.common import due_text, load, local_now, parse_id
from bot.features.privacy.erase import ERASED
from bot.i18n import Messages
from bot.replies import Reply, Text
from bot.turn import Turn
from bot.workdays import person_zone
from store import actions, people
from store.action_models import ActionEvent


async def show(turn: Turn, text: str) -> Reply:
    """The action (to anyone who may see it) and its history, oldest first, days in the viewer's zone."""
    action, owner = await load(turn, parse_id(text)[0], to_change=False)
    t, org_id = turn.t, turn.org.id
    events = await actions.history(turn.session, org_id=org_id, action_id=action.id)
    ids = {action.owner_id, action.creator_id} | {e.actor_id for e in events if e.actor_id}
    names = await people.names(turn.session, org_id=org_id, person_ids=ids)
    heading = t("action.show_heading", id=action.id, title=action.title)
    facts = t(
        "action.show_facts",
        owner=names[action.owner_id],
        creator=names[action.creator_id],
        status=t(f"action.status_{action.status}"),
        due=due_text(t, action, today=local_now(turn, owner).date()) or t("action.show_undated"),
    )
    tz = person_zone(turn.person, turn.org)
    lines = [
        "• " + _line(t, e, day=e.created_at.astimezone(tz).date(), actor=names.get(e.actor_id, "—"))
        for e in events
    ]
    parts = (Text(text=heading), Text(text=facts), Text(text="\n".join([t("action.show_history"), *lines])))
    return Reply(parts=parts, summary=heading)


def _line(t: Messages, event: ActionEvent, *, day: date, actor: str) -> str:
    """One change as people read it: "Tue 24 Nov 2026: moved by Alice Smith from ... to ..."."""
    detail, shown = event.detail or {}, format_day(t, day)
    if event.kind == "edited":
        before, after = detail.get("before") or {}, detail.get("after") or {}
        shown_as = {"title": lambda title: f"“{title}”", "due_on": lambda day: _due(t, day)}
        changes = [
            t(
                f"action.history.changed_{name}",
                before=shown_as[name](before.get(name)),
                after=shown_as[name](value),
            )
            for name, value in after.items()
            if name in shown_as and before.get(name) != value
        ]
        return t("action.history.edited", day=shown, actor=actor, changes=t.join(changes))
    if event.kind == "snoozed":
        before, after = _due(t, detail.get("before")), _due(t, detail.get("after"))
        return t("action.history.snoozed", day=shown, actor=actor, before=before, after=after)
    if event.kind == "dropped" and detail.get("reason") == ERASED:
        return t("action.history.dropped_erased", day=shown)
    if event.kind == "dropped" and detail.get("reason"):
        return t("action.history.dropped_reason", day=shown, actor=actor, reason=detail["reason"])
    key = f"action.history.{event.kind}"
    return t(
        key if t.catalogue.has(key) else "action.history.unknown", day=shown, actor=actor, kind=event.kind
    )


def _due(t: Messages, value: str | None) -> str:
    """A due date as stored in the history (ISO), as a day people read; "no due date" for none."""
    return format_day(t, date.fromisoformat(value)) if value else t("action.show_no_due")
