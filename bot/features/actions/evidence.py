"""What actions add to a review's evidence: those agreed at the previous review (the employee's and
the manager's, with what became of them), and the employee's other open actions past their day that
the reader may see (`bot.access.can_view_action`), due in the reader's time zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.access import can_view_action
from bot.evidence import Period
from store import actions, review_evidence
from store.action_models import ActionItem


async def gather(period: Period) -> Mapping[str, Any]:
    found: dict[str, Any] = {}
    if period.previous is not None:
        found["actions"] = await review_evidence.review_actions(
            period.session,
            org_id=period.org_id,
            owner_ids=[period.employee.id, period.reader.id],
            meeting_id=period.previous.id,
        )
    today = period.now.astimezone(period.tz).date()
    found["overdue"] = await _overdue(period, today=today, agreed=found.get("actions", []))
    return found


async def _overdue(period: Period, *, today: date, agreed: list[ActionItem]) -> list[ActionItem]:
    """Past their due date, other than those agreed at the previous review (the digest shows those
    with what became of them)."""
    shown = {action.id for action in agreed}
    rows = await actions.owned_by(
        period.session, org_id=period.org_id, owner_ids=[period.employee.id], statuses=("open",)
    )
    return [
        action
        for action, owner in rows
        if action.id not in shown
        and action.due_on is not None
        and action.due_on < today
        and can_view_action(period.reader, action, owner)
    ]
