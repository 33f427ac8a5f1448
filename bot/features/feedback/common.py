"""Shared by the feedback commands: loading one piece of feedback the person may see."""

from __future__ import annotations

from bot.access import can_view_feedback
from bot.errors import UserError
from bot.numbers import leading_id
from bot.turn import Turn
from store import feedback, people
from store.feedback_models import Feedback
from store.models import Person


def parse_id(text: str) -> tuple[int, str]:
    """The feedback's number at the start of `text`, and the rest."""
    return leading_id(text, bad="feedback.bad_id", missing="feedback.not_found")


async def load(turn: Turn, feedback_id: int) -> Feedback:
    item = await feedback.by_id(turn.session, org_id=turn.org.id, feedback_id=feedback_id)
    if item is None or not can_view_feedback(turn.person, item):
        raise UserError("feedback.not_found", id=feedback_id)
    return item


async def person(turn: Turn, person_id: int) -> Person:
    return await people.by_id(turn.session, org_id=turn.org.id, person_id=person_id)
