"""Modal submissions over loopback: a mistake keeps the modal open with the error beside its input
(`response_action: errors`) and stores nothing; a corrected submission then goes through.

No feature opens a modal yet, so the test registers a small form action of its own on the real router:
it writes an action item, then checks the due date, as a feature validating late would.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.errors import UserError
from bot.events import Action
from bot.replies import Reply
from store import actions
from store.action_models import ActionItem
from tests.slack.support import USERS

INPUTS = {"title_block": ("title", "Book the offsite venue"), "due_block": ("due", "someday")}


@pytest.fixture
def form_action(slack_app):
    async def plan(turn) -> Reply:
        event = turn.event
        assert isinstance(event, Action)
        await actions.create(
            turn.session,
            org_id=turn.org.id,
            title=event.values["title"],
            owner_id=turn.person.id,
            creator_id=turn.person.id,
            status="open",
            due_on=None,
            source="command",
            now=turn.clock.now(),
        )
        if not event.values["due"].isdigit():
            raise UserError("action.title_short", field="due", min=3)
        return Reply.text("planned")

    slack_app.core.router.action("test.plan")(plan)


async def items(app) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(ActionItem))


async def test_an_invalid_submission_answers_errors_and_stores_nothing(form_action, slack, slack_app):
    response = await slack.submit(user=USERS["bob"], callback_id="test.plan", inputs=INPUTS, view_id="V0PLAN")
    assert response.status == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == ["due_block"]
    assert "at least 3 characters" in body["errors"]["due_block"]
    assert await items(slack_app) == 0

    corrected = {**INPUTS, "due_block": ("due", "7")}
    response = await slack.submit(
        user=USERS["bob"], callback_id="test.plan", inputs=corrected, view_id="V0PLAN"
    )
    assert response.status == 200 and response.text == ""  # the modal closes
    assert await items(slack_app) == 1


async def test_an_error_without_a_field_goes_beside_the_first_input(slack, slack_app):
    """A form action the core does not know: the polite error is shown in the modal, not lost."""
    response = await slack.submit(user=USERS["bob"], callback_id="no.such", inputs=INPUTS, view_id="V0X")
    body = response.json()
    assert body["response_action"] == "errors"
    assert "no.such" in body["errors"]["title_block"]
