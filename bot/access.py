"""Who may see and change what. Every visibility rule lives here, tested as a matrix.

Rules take the people involved (rows already scoped to one organisation) and answer yes or no; a
person from another organisation is never allowed anything.
"""

from __future__ import annotations

from store.action_models import ActionItem
from store.feedback_models import Feedback
from store.models import Person


def same_org(viewer: Person, other: Person) -> bool:
    return viewer.org_id == other.org_id


def manages(viewer: Person, person: Person) -> bool:
    """The viewer is the person's direct manager."""
    return same_org(viewer, person) and person.manager_id is not None and person.manager_id == viewer.id


def can_view_checkin(viewer: Person, owner: Person) -> bool:
    """A check-in's answers are for the person who gave them and their direct manager only."""
    return same_org(viewer, owner) and (viewer.id == owner.id or manages(viewer, owner))


def can_view_signals(viewer: Person, owner: Person) -> bool:
    """Signals (a blocker, a run of low moods) are drawn from check-ins and follow the same rule."""
    return can_view_checkin(viewer, owner)


def can_change_action(viewer: Person, action: ActionItem, owner: Person) -> bool:
    """The owner, the person who created it, and the owner's manager may change an action."""
    if viewer.org_id != action.org_id or not same_org(viewer, owner):
        return False
    return viewer.id in (action.owner_id, action.creator_id) or manages(viewer, owner)


def can_view_action(viewer: Person, action: ActionItem, owner: Person) -> bool:
    """Actions are seen by those who may change them: they can come from private conversations."""
    return can_change_action(viewer, action, owner)


def can_view_feedback(viewer: Person, feedback: Feedback) -> bool:
    """Private feedback: its giver, its recipient, and the manager it was shared with (if it was)."""
    if viewer.org_id != feedback.org_id:
        return False
    return viewer.id in (feedback.giver_id, feedback.recipient_id) or (
        feedback.shared_with_id is not None and viewer.id == feedback.shared_with_id
    )
