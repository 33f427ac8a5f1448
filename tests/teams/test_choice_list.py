"""A question with more options than fit a row of buttons is a list to pick from on Teams
(`Input.ChoiceSet`) with one Send button; the pick answers the question, and sending nothing asks again."""

from __future__ import annotations

from sqlalchemy import select

from bot.forms.template import load
from store import forms, orgs
from store.checkin_models import FormSession
from tests.payloads.steps import CHOICE_TEMPLATE
from tests.teams.conftest import card_text

OPTIONS = [f"Project {name}" for name in "ABCDEFGHIJ"]


async def ten_option_checkin(teams) -> dict:
    """Acme's check-in asks, second, which of ten projects took most of the week; Alice starts one
    and answers the first question. The card that asks the second."""
    definition = load(CHOICE_TEMPLATE.replace("LABELS", ", ".join(OPTIONS)), key="checkin")
    async with teams.app.db.transaction() as session:
        org = await orgs.by_slug(session, "acme")
        await forms.add_template(
            session, org_id=org.id, key="checkin", definition=definition, now=teams.app.clock.now()
        )
    await teams.say("alice", "checkin")
    answered = await teams.say("alice", "4")
    [reply] = teams.replies_to(answered)
    return reply.body["attachments"][0]["content"]


async def test_ten_options_are_a_list_with_one_send_button(teams):
    card = await ten_option_checkin(teams)
    [pick] = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
    assert [c["title"] for c in pick["choices"]] == OPTIONS
    [buttons] = [e for e in card["body"] if e["type"] == "ActionSet"]
    [send] = buttons["actions"]
    assert send["title"] == "Send" and send["type"] == "Action.Submit"
    assert pick["choices"][6]["value"].endswith("/7") and send["data"]["value"].endswith("/")


async def test_the_pick_answers_the_question_and_nothing_picked_asks_again(teams):
    card = await ten_option_checkin(teams)
    [pick] = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
    [send] = next(e for e in card["body"] if e["type"] == "ActionSet")["actions"]

    nothing = await teams.post(teams.activity("alice", value={**send["data"], pick["id"]: ""}))
    assert nothing == 201
    again = card_text(teams.connector.messages("a:dm-alice")[-1])
    assert "Please answer with one of the option numbers, from 1 to 10." in again
    assert "What took most of your time?" in again

    chosen = {**send["data"], pick["id"]: pick["choices"][6]["value"]}
    assert await teams.post(teams.activity("alice", value=chosen)) == 201
    assert "What went well?" in card_text(teams.connector.messages("a:dm-alice")[-1])
    async with teams.app.db.read() as session:
        row = await session.scalar(select(FormSession).where(FormSession.form_key == "checkin"))
    assert row.answers["focus"] == 7
