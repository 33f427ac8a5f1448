"""Every part of the reply vocabulary can be shown on every platform, and a form question keeps what
its buttons must send back."""

from __future__ import annotations

import pytest

from adapters.console import render as console
from adapters.slack import render as slack
from adapters.teams import render as teams
from bot.i18n import Catalogue
from bot.replies import _PART_TYPES, FormQuestion, Option, Reply

QUESTION = FormQuestion(
    text="How was your week?",
    action_id="form:answer",
    ref="s42/0",
    progress="1/7",
    options=tuple(
        Option(label=label, value=str(i + 1)) for i, label in enumerate(["😞", "🙁", "😐", "🙂", "😄"])
    ),
    hint="Type skip, back, cancel or help.",
)


@pytest.mark.parametrize("adapter", [console, slack, teams], ids=["console", "slack", "teams"])
def test_every_part_type_has_a_renderer(adapter):
    assert set(adapter.RENDERERS) == set(_PART_TYPES.values())


def test_slack_question_buttons_answer_the_step_they_belong_to():
    message = slack.render(
        Reply(parts=(QUESTION,), summary="How was your week?"), t=Catalogue.load().messages("en")
    )
    text = message["blocks"][0]["text"]["text"]
    buttons = message["blocks"][1]["elements"]
    assert text == "(1/7) How was your week?"
    assert [b["value"] for b in buttons] == ["s42/0/1", "s42/0/2", "s42/0/3", "s42/0/4", "s42/0/5"]
    assert len({b["action_id"] for b in buttons}) == 5  # Slack wants them unique in a message
    assert all(b["action_id"].startswith("form:answer") for b in buttons)
    assert message["blocks"][2]["type"] == "context"
    assert message["text"] == "How was your week?"


def test_teams_question_buttons_submit_the_answer_value():
    card = teams.render(Reply(parts=(QUESTION,), summary="How was your week?"))
    body = card["attachments"][0]["content"]["body"] if "attachments" in card else card["body"]
    actions = next(e for e in body if e["type"] == "ActionSet")["actions"]
    assert [a["data"]["value"] for a in actions] == ["s42/0/1", "s42/0/2", "s42/0/3", "s42/0/4", "s42/0/5"]
    assert {a["data"]["action_id"] for a in actions} == {"form:answer"}
    assert [a["title"] for a in actions] == ["😞", "🙁", "😐", "🙂", "😄"]
    assert body[0]["text"] == "(1/7) How was your week?"
