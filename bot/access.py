"""Who may see what. One module, so that every feature asks the same question the same way."""

from __future__ import annotations

from store.models import Person


def same_org(viewer: Person, owner: Person) -> bool:
    return viewer.org_id == owner.org_id


def is_manager_of(viewer: Person, owner: Person) -> bool:
    return same_org(viewer, owner) and owner.manager_id is not None and owner.manager_id == viewer.id


def can_view_checkin(viewer: Person, owner: Person) -> bool:
    """A check-in's answers are for the person who gave them and their direct manager only."""
    return same_org(viewer, owner) and (viewer.id == owner.id or is_manager_of(viewer, owner))


def can_view_signals(viewer: Person, owner: Person) -> bool:
    """Signals (a blocker, a run of low moods) are drawn from check-ins and follow the same rule."""
    return can_view_checkin(viewer, owner)
