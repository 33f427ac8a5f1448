"""Who may see and change what. Every visibility rule lives here, tested as a matrix.

Rules take the people involved (rows already scoped to one organisation) and answer yes or no; a
person from another organisation is never allowed anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from store.action_models import ActionItem
from store.feedback_models import Feedback
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.goal_models import DevelopmentGoal, Objective
from store.models import Person
from store.review_models import ReviewMeeting


def same_org(viewer: Person, other: Person) -> bool:
    return viewer.org_id == other.org_id


def manages(viewer: Person, person: Person) -> bool:
    """The viewer is the person's direct manager."""
    return same_org(viewer, person) and person.manager_id is not None and person.manager_id == viewer.id


def manages_since(viewer: Person, person: Person, *, written_at: datetime) -> bool:
    """The viewer is the person's direct manager, and was already when something was written: a
    manager who takes over a team reads what is written to them, not what was written to the one
    before (`Person.manager_since`, kept by the org import; none known: since always)."""
    since = person.manager_since
    return manages(viewer, person) and (since is None or written_at >= since)


def can_view_checkin(viewer: Person, owner: Person, *, written_at: datetime) -> bool:
    """A check-in's answers (the note for the manager among them) are for the person who gave them
    and the direct manager they were written to, never a later one."""
    return same_org(viewer, owner) and (
        viewer.id == owner.id or manages_since(viewer, owner, written_at=written_at)
    )


def can_view_signals(viewer: Person, owner: Person, *, raised_at: datetime) -> bool:
    """Signals (a blocker, a run of low moods) are drawn from check-ins and follow the same rule."""
    return can_view_checkin(viewer, owner, written_at=raised_at)


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


def can_view_digest(viewer: Person, meeting: ReviewMeeting, employee: Person) -> bool:
    """A pre-meeting digest draws on check-ins and shared feedback: only the meeting's manager sees it,
    and only while they still manage the employee. Not HR, not the employee (who gets her own note)."""
    return (
        meeting.org_id == viewer.org_id
        and meeting.employee_id == employee.id
        and viewer.id == meeting.manager_id
        and manages(viewer, employee)
    )


def can_view_self_review(viewer: Person, meeting: ReviewMeeting, employee: Person) -> bool:
    """A self-review is for its author and the manager she is meeting."""
    return can_view_meeting_record(viewer, meeting, employee)


def can_view_meeting_record(viewer: Person, meeting: ReviewMeeting, employee: Person) -> bool:
    """Meeting notes are for the two people who were in the meeting."""
    return (
        meeting.org_id == viewer.org_id
        and meeting.employee_id == employee.id
        and viewer.id in (meeting.employee_id, meeting.manager_id)
    )


def can_view_review_history(viewer: Person, employee: Person, *, is_hr: bool) -> bool:
    """Dates and completeness of someone's reviews: the employee, her manager, HR."""
    return same_org(viewer, employee) and (viewer.id == employee.id or manages(viewer, employee) or is_hr)


def can_view_pulse(viewer: Person, manager: Person, *, is_hr: bool, released: int) -> bool:
    """A manager's pulse is seen as an aggregate only, once `released` batches (of at least the
    threshold each, `bot.anonymity.batches`) are more than none, by that manager and HR. Nobody ever
    sees one answer, nor a figure that moved by one."""
    return same_org(viewer, manager) and released > 0 and (viewer.id == manager.id or is_hr)


def can_view_feedback_request(viewer: Person, request: FeedbackRequest, respondent_ids: list[int]) -> bool:
    """A feedback request is seen by its requester and by the people asked; nobody else, not managers."""
    if viewer.org_id != request.org_id:
        return False
    return viewer.id == request.requester_id or viewer.id in respondent_ids


def can_view_answer_with_name(viewer: Person, request: FeedbackRequest, ask: FeedbackAsk) -> bool:
    """One answer with its giver's name: the giver themself, and the requester of a named request.

    The requester of an anonymous request never gets this: only `can_view_anonymous_answers`.
    """
    if viewer.org_id != request.org_id or ask.request_id != request.id:
        return False
    return viewer.id == ask.respondent_id or (viewer.id == request.requester_id and not request.anonymous)


def can_view_anonymous_answers(viewer: Person, request: FeedbackRequest) -> bool:
    """The released, nameless batches of an anonymous request: its requester only."""
    return viewer.org_id == request.org_id and request.anonymous and viewer.id == request.requester_id


def can_view_figures(viewer: Person, *, is_hr: bool, has_reports: bool, team_manager: Person | None) -> bool:
    """HR figures (counts and rates, never words): HR sees every group; a manager (someone with
    reports) sees the figures of their own team (`team_manager` is the team's manager) and nothing
    wider; nobody else sees any."""
    if team_manager is not None and not same_org(viewer, team_manager):
        return False
    return is_hr or (has_reports and team_manager is not None and viewer.id == team_manager.id)


# Goals (issue 18). `chain` is the ids of the owner's managers, up to the top (`store.goals.manager_chain`).


def can_view_goal(
    viewer: Person, objective: Objective, owner: Person, *, private: bool, chain: Sequence[int], is_hr: bool
) -> bool:
    """Objectives and their key results (titles, values, status) are visible to the whole organisation
    (OKR practice), unless the organisation keeps goals private: then to the owner, their manager chain
    and HR, a team's objective to its members too; the company's stay visible to all. A draft (carried
    from a review, not confirmed yet) is for the owner and their managers only, whatever the setting."""
    if viewer.org_id != objective.org_id or not same_org(viewer, owner):
        return False
    own = viewer.id == owner.id or viewer.id in chain
    if objective.status == "draft":
        return own
    if not private or objective.level == "company":
        return True
    return own or is_hr or (objective.level == "team" and viewer.manager_id == owner.id)


def can_view_goal_details(viewer: Person, owner: Person, *, chain: Sequence[int]) -> bool:
    """Confidence and the notes of updates are for the owner and their managers, in any organisation."""
    return same_org(viewer, owner) and (viewer.id == owner.id or viewer.id in chain)


def can_change_goal(
    viewer: Person, objective: Objective, owner: Person, *, chain: Sequence[int], is_hr: bool
) -> bool:
    """The owner, whoever created it, and the owner's managers change an objective; HR the company's."""
    if viewer.org_id != objective.org_id or not same_org(viewer, owner):
        return False
    return (
        viewer.id in (owner.id, objective.creator_id)
        or viewer.id in chain
        or (objective.level == "company" and is_hr)
    )


def can_view_development_goal(viewer: Person, goal: DevelopmentGoal, person: Person) -> bool:
    """A development goal (the IDP) is always private: the person and their direct manager, nobody else,
    not HR, whatever the organisation's goal setting."""
    if viewer.org_id != goal.org_id or not same_org(viewer, person) or goal.person_id != person.id:
        return False
    return viewer.id == person.id or manages(viewer, person)
