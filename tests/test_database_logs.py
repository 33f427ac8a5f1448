"""A database error in a turn is logged by what failed, never with people's words: no statement
parameters, no PostgreSQL DETAIL quoting the row or the key."""

from __future__ import annotations

import logging

from sqlalchemy import insert, text

from bot.core import Core
from bot.events import Actor, Command
from bot.router import Router
from bot.turn import Turn
from store.models import Kudos, Person

PRIVATE = "she cried in the one-to-one"


def _failing_router() -> Router:
    """A command whose writes break the database's rules with someone's words in them."""
    router = Router()

    @router.command("duplicate")
    async def duplicate(turn: Turn):
        row = {
            "org_id": turn.org.id,
            "display_name": PRIVATE,
            "email": f"{PRIVATE}@x",
            "created_at": turn.clock.now(),
            "updated_at": turn.clock.now(),
        }
        await turn.session.execute(insert(Person), [row, row])  # the same email twice

    @router.command("nameless")
    async def nameless(turn: Turn):
        row = {
            "org_id": turn.org.id,
            "giver_id": None,
            "message": PRIVATE,
            "company_values": [],
            "platform": "console",
            "created_at": turn.clock.now(),
        }
        await turn.session.execute(insert(Kudos), row)  # a kudos from nobody

    @router.command("mistyped")
    async def mistyped(turn: Turn):
        await turn.session.execute(text("SELECT id FROM person WHERE id = :id"), {"id": PRIVATE})

    return router


async def test_a_failed_statement_is_logged_without_its_values(app, chat, caplog):
    core = Core(db=app.db, router=_failing_router(), clock=app.clock, catalogue=app.catalogue)
    actor = Actor(platform="console", org="acme", user_id="alice@example.com", email="alice@example.com")
    caplog.set_level(logging.DEBUG)
    failing = ("duplicate", "nameless") if app.db.is_sqlite else ("duplicate", "nameless", "mistyped")
    for name in failing:
        reply = await core.handle(Command(actor=actor, name=name, text=PRIVATE))
        assert "something went wrong on my side" in reply.plain_text()
    logged = caplog.text
    assert logged.count("event failed: Command") == len(failing) and "IntegrityError" in logged
    assert "SQL parameters hidden" in logged
    assert PRIVATE not in logged and "DETAIL" not in logged
