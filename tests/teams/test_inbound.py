"""`POST /api/messages`: what Teams (or anyone) gets back, and what is written."""

from __future__ import annotations

import logging

import jwt
import pytest
from sqlalchemy import func, select

from adapters.teams.connector import build_adapter
from adapters.teams.routes import teams_routes
from adapters.teams.settings import TeamsSettings
from adapters.teams.tables import TeamsConversation
from bot.replies import Reply
from store.models import Kudos, ProcessedEvent
from tests.teams.conftest import TENANT, card_text, mention, serve

DEEP = b"[" * 100_000 + b"]" * 100_000


async def count(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_a_body_that_is_not_json_gets_415_or_400(teams, caplog):
    """415 when it does not say it is JSON; 400 when it says so but is not (nor ever a 500)."""
    assert await teams.post(b"kudos @ann", headers={"Content-Type": "text/plain"}) == 415
    assert await teams.post(b"{not json", headers={"Content-Type": "application/json"}) == 400
    assert await teams.post(b"\xff\xfe", headers={"Content-Type": "application/json"}) == 400
    assert await teams.post(DEEP, headers={"Content-Type": "application/json"}) == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "fields",
    [
        {"conversation": None},
        {"conversation": {"conversationType": "personal", "tenantId": TENANT}},
        {"serviceUrl": None},
        {"serviceUrl": "not a url"},
        {"serviceUrl": "http://[::1"},
        {"from": {"name": "Bob Brown"}},
    ],
)
async def test_an_activity_with_no_conversation_or_service_url_gets_400(teams, caplog, fields):
    body = teams.activity("bob", text="kudos <at>Alice Smith</at> great demo", entities=[mention("alice")])
    assert await teams.post({**body, **fields}) == 400
    assert await count(teams.app, ProcessedEvent) == 0
    assert await count(teams.app, Kudos) == 0
    assert teams.connector.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("body", [{"text": "no type"}, {"type": ""}, [], b'"a string"', {"type": 7}])
async def test_an_activity_without_a_type_gets_400(teams, body):
    assert await teams.post(body) == 400
    assert await count(teams.app, ProcessedEvent) == 0


async def test_a_malformed_activity_gets_400_not_500(teams):
    assert await teams.post({"type": "message", "entities": "not a list", "from": 3}) == 400


@pytest.fixture
async def with_app_id(app, org, connector, teams):
    """Rapport with an app id: every request must carry a valid Bot Framework token."""
    settings = TeamsSettings(app_id="00000000-0000-0000-0000-00000000b07", app_password="secret", org="acme")
    connection = build_adapter(settings, clock=app.clock)
    runner, url = await serve(teams_routes(app=app, settings=settings, adapter=connection))
    teams.url = url
    yield teams
    await runner.cleanup()
    await connection.connector.close()


def unsigned_token(issuer: str) -> str:
    """A JWT that claims the bot's audience but is signed by nobody."""
    claims = {"iss": issuer, "aud": "00000000-0000-0000-0000-00000000b07", "serviceurl": "http://127.0.0.1"}
    return jwt.encode(claims, key=None, algorithm="none")


@pytest.mark.parametrize("body", [b"{not json", b"null", DEEP, b"\xff\xfe"])
async def test_with_an_app_id_an_unsigned_body_gets_401_before_it_is_read(with_app_id, body):
    assert await with_app_id.post(body) == 401
    assert await with_app_id.post(body, headers={"Authorization": "Basic dXNlcjpwYXNz"}) == 401


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        f"Bearer {unsigned_token('https://issuer.example')}",
    ],
)
async def test_without_a_valid_token_the_request_gets_401_and_nothing_is_written(with_app_id, authorization):
    teams = with_app_id
    headers = {"Authorization": authorization} if authorization is not None else {}
    body = teams.activity("bob", text="kudos <at>Alice Smith</at> great demo", entities=[mention("alice")])
    assert await teams.post(body, headers=headers) == 401
    assert await count(teams.app, ProcessedEvent) == 0
    assert await count(teams.app, Kudos) == 0
    assert await count(teams.app, TeamsConversation) == 0
    assert teams.connector.calls == []


async def test_a_retried_activity_acts_once(teams):
    sent = teams.activity("bob", text="kudos <at>Alice Smith</at> great demo", entities=[mention("alice")])
    assert await teams.post(sent) == 201
    assert await teams.post(sent) == 201  # Teams redelivers with the same id when the bot was slow
    assert await count(teams.app, Kudos) == 1
    assert len(teams.replies_to(sent)) == 1
    await teams.deliver()
    assert len(teams.connector.created()) == 1


async def test_every_message_and_install_stores_the_conversation_reference(teams):
    install = teams.activity(
        "erin",
        type="installationUpdate",
        action="add",
        conversation={"id": "a:dm-erin", "conversationType": "personal", "tenantId": TENANT},
    )
    assert await teams.post(install) == 201
    async with teams.app.db.read() as session:
        row = (await session.scalars(select(TeamsConversation))).one()
    assert (row.user_id, row.conversation_id, row.tenant_id) == ("29:erin", "a:dm-erin", TENANT)
    assert (row.service_url, row.bot_id, row.aad_object_id) == (
        teams.connector.url,
        "28:rapport-bot",
        "aad-erin",
    )


async def test_a_card_submission_reaches_the_action_with_its_inputs(teams):
    seen = []

    @teams.app.core.router.action("test.rate")
    async def rate(turn):
        seen.append((turn.event.value, dict(turn.event.values), turn.person.handle))
        return Reply.text("Thanks, noted.")

    submit = teams.activity("carol", value={"action_id": "test.rate", "value": "4", "comment": "good week"})
    assert await teams.post(submit) == 201
    assert seen == [("4", {"comment": "good week"}, "carol")]
    assert teams.reply_text(submit) == "Thanks, noted."
    assert await teams.post(submit) == 201  # a double click acts once
    assert len(seen) == 1


async def test_a_universal_action_invoke_is_answered_with_the_reply_card(teams):
    @teams.app.core.router.action("test.done")
    async def done(turn):
        return Reply.text(f"Marked {turn.event.value} as done.")

    invoke = teams.activity(
        "alice",
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "test.done", "data": {"value": "item 7"}}},
    )
    assert await teams.post(invoke) == 200
    _, body = teams.responses[-1]
    assert '"statusCode": 200' in body and "Marked item 7 as done." in body
    assert teams.connector.messages() == []  # the answer is the invoke response, not a new message


async def test_channel_message_mentioning_rapport_is_a_command_and_is_posted_there(teams):
    sent = await teams.say(
        "alice",
        "<at>Rapport</at> kudos <at>Bob Brown</at> thanks for the #customer call",
        entities=[
            {"type": "mention", "text": "<at>Rapport</at>", "mentioned": {"id": "28:rapport-bot"}},
            mention("bob"),
        ],
        conversation={"id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": TENANT},
    )
    assert "posted them here" in teams.reply_text(sent)
    await teams.deliver()
    post = [c for c in teams.connector.messages("19:general@thread.tacv2") if c.reply_to != sent["id"]]
    assert [card_text(c) for c in post] == [
        "🎉 **Alice Smith** gave kudos to Bob Brown: thanks for the #customer call\nValues: #customer"
    ]


async def test_a_reference_that_changed_a_moment_later_is_stored_again(teams):
    """Teams moved the person to another service URL between two messages a second apart."""
    await teams.say("erin", "help")
    moved = teams.connector.url + "/emea/"
    assert await teams.post(teams.activity("erin", text="help", serviceUrl=moved)) == 201
    async with teams.app.db.read() as session:
        row = (await session.scalars(select(TeamsConversation))).one()
    assert row.service_url == moved
