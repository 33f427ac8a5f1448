"""A person first met on a platform, and linked to nobody Rapport knew, cannot pass as a colleague by
taking their name: until linked they are shown with their platform account after it."""

from __future__ import annotations

from sqlalchemy import select

from adapters.console.render import render
from bot.events import Actor, Command
from store.models import Person


async def names(app) -> set[str]:
    async with app.db.read() as session:
        return set(await session.scalars(select(Person.display_name)))


async def test_a_new_account_with_a_colleagues_name_is_not_shown_under_it(chat, app):
    stranger = Actor(platform="console", org="acme", user_id="U0IMP", name="alice smith")
    reply = await app.core.handle(Command(actor=stranger, name="kudos", text="@bob you deserve a raise"))
    assert "Kudos sent to Bob Brown" in render(reply)
    await chat.send("bob", "/feedback list")  # delivers what the kudos queued
    chat.expect_dm("bob", "alice smith (console U0IMP) gave you kudos")
    newcomer = Actor(platform="console", org="acme", user_id="U0NEW", name="Nadia Novak")
    await app.core.handle(Command(actor=newcomer, name="kudos", text="@bob welcome"))
    assert {"Alice Smith", "alice smith (console U0IMP)", "Nadia Novak"} <= await names(app)
