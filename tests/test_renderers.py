"""Every part of the reply vocabulary can be shown on every platform, and a form question keeps what
its buttons must send back."""

from __future__ import annotations

import json

import pytest

from adapters.console import render as console
from adapters.slack import render as slack
from adapters.teams import render as teams
from bot.replies import (
    _PART_TYPES,
    Button,
    Buttons,
    Choices,
    Context,
    Field,
    File,
    FormQuestion,
    Option,
    Reply,
    Section,
    Text,
)

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
    [message] = slack.messages(Reply(parts=(QUESTION,), summary="How was your week?"))
    text = message["blocks"][0]["text"]["text"]
    buttons = message["blocks"][1]["elements"]
    assert text == "(1/7) How was your week?"
    assert [b["value"] for b in buttons] == ["s42/0/1", "s42/0/2", "s42/0/3", "s42/0/4", "s42/0/5"]
    assert len({b["action_id"] for b in buttons}) == 5  # Slack wants them unique in a message
    assert all(b["action_id"].startswith("form:answer") for b in buttons)
    assert message["blocks"][2]["type"] == "context"
    assert message["text"] == "How was your week?"


def test_teams_question_buttons_submit_the_answer_value():
    [card] = teams.cards(Reply(parts=(QUESTION,), summary="How was your week?"))
    body = card["body"]
    actions = next(e for e in body if e["type"] == "ActionSet")["actions"]
    assert [a["data"]["value"] for a in actions] == ["s42/0/1", "s42/0/2", "s42/0/3", "s42/0/4", "s42/0/5"]
    assert {a["data"]["action_id"] for a in actions} == {"form:answer"}
    assert [a["title"] for a in actions] == ["😞", "🙁", "😐", "🙂", "😄"]
    assert body[0]["text"] == "(1/7) How was your week?"


def test_a_small_file_travels_inside_a_teams_card_and_a_large_one_is_named():
    from bot.replies import File

    [small] = teams.cards(Reply(parts=(File(name="me.json", mime="application/json", content='{"a": 1}'),)))
    body = small["body"]
    assert body[-1]["text"] == '{"a": 1}' and body[-1]["fontType"] == "Monospace"
    [large] = teams.cards(Reply(parts=(File(name="me.json", mime="application/json", content="x" * 50_000),)))
    text = json.dumps(large)
    assert "me.json (50,000 bytes)" in text and "x" * 1000 not in text


def test_every_part_type_survives_the_outbox_as_json():
    """Replies wait in the outbox as JSON; what a sender rebuilds is what the core queued."""
    reply = Reply(
        parts=(
            Text(text="Hello *Ana*"),
            Section(text="Kudos", fields=(Field(label="From", value="Bo"), Field(label="为", value="团队"))),
            Buttons(buttons=(Button(label="Thanks", action_id="kudos.thank", value="7", style="primary"),)),
            Choices(action_id="mood", options=(Option(label="😄", value="5"),)),
            Context(text="small print"),
            QUESTION,
            File(name="export.json", mime="application/json", content='{"a": 1}'),
        ),
        summary="Hello",
        error=True,
        field="text",
    )
    stored = json.loads(json.dumps(reply.to_dict()))
    assert stored["parts"][1]["fields"] == [
        {"label": "From", "value": "Bo"},
        {"label": "为", "value": "团队"},
    ]
    assert Reply.from_dict(stored) == reply


def test_a_stored_reply_missing_optional_fields_or_carrying_unknown_ones_rebuilds_as_written():
    """An older payload may leave out a field added since (or hold null), a newer one carry a field
    this version does not know: the rebuilt parts take their defaults and ignore the rest."""
    stored = {
        "parts": [
            {
                "type": "form_question",
                "text": "Why?",
                "action_id": "form:answer",
                "ref": "s1/2",
                "hint": None,
            },
            {
                "type": "buttons",
                "buttons": [{"label": "OK", "action_id": "ok", "value": "1"}],
                "colour": "red",
            },
        ]
    }
    rebuilt = Reply.from_dict(stored)
    expected = Reply(
        parts=(
            FormQuestion(text="Why?", action_id="form:answer", ref="s1/2"),
            Buttons(buttons=(Button(label="OK", action_id="ok", value="1"),)),
        )
    )
    assert rebuilt == expected and hash(rebuilt) == hash(expected)
    question, buttons = rebuilt.parts
    assert (question.progress, question.options, question.hint) == ("", (), "")
    assert buttons.buttons[0].style is None and not hasattr(buttons, "colour")
    assert rebuilt.plain_text() == "Why?\n[OK]"
