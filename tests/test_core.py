"""The core's promises: one effect per event, nothing half-written, organisations never mix."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.core import Core, UnknownWorkspace
from bot.errors import UserError
from bot.events import Actor, Channel, Command
from bot.replies import Reply
from bot.router import Router
from store import kudos as kudos_store
from store.models import Kudos, Organisation, OutboxMessage, Person
from tests.support import Chat, seed_org


def kudos_command(
    *, text: str, event_id: str | None = None, org: str = "acme", user: str = "alice"
) -> Command:
    actor = Actor(platform="console", org=org, user_id=f"{user}@example.com", email=f"{user}@example.com")
    return Command(actor=actor, channel=Channel(id="dm"), name="kudos", text=text, event_id=event_id)


async def rows(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_a_retried_event_has_its_effect_once(app, chat):
    first = await app.core.handle(kudos_command(text="@bob great demo", event_id="Ev1"))
    again = await app.core.handle(kudos_command(text="@bob great demo", event_id="Ev1"))
    assert "Kudos sent" in first.plain_text()
    assert again is None
    assert await rows(app, Kudos) == 1
    assert await rows(app, OutboxMessage) == 1


async def test_concurrent_duplicates_have_their_effect_once(app, chat):
    replies = await asyncio.gather(
        *(app.core.handle(kudos_command(text="@bob great demo", event_id="Ev2")) for _ in range(8))
    )
    assert sum(reply is not None for reply in replies) == 1
    assert await rows(app, Kudos) == 1


async def test_a_burst_of_writers_all_succeed(app, chat, org):
    async with app.db.transaction() as session:
        (await session.get(Organisation, org.id)).daily_give_cap = 100
    replies = await asyncio.gather(
        *(app.core.handle(kudos_command(text=f"@bob great demo number {i}")) for i in range(64))
    )
    assert all("Kudos sent" in r.plain_text() for r in replies)
    assert await rows(app, Kudos) == 64
    assert await rows(app, OutboxMessage) == 64


async def write_half_a_kudos(turn) -> None:
    """What a feature might write before it fails or refuses."""
    await kudos_store.add(
        turn.session,
        org_id=turn.org.id,
        giver_id=turn.person.id,
        recipient_ids=[turn.person.id],
        message="half",
        values=[],
        platform="console",
        channel_id=None,
        now=turn.clock.now(),
    )


async def test_a_failure_half_way_leaves_nothing_and_apologises(app, chat):
    router = Router()

    @router.command("kudos")
    async def broken(turn):
        await write_half_a_kudos(turn)
        raise RuntimeError("the disk caught fire")

    core = Core(db=app.db, router=router, clock=app.clock, catalogue=app.catalogue)
    reply = await core.handle(kudos_command(text="@bob great demo", event_id="Ev3"))
    assert "something went wrong on my side and nothing was saved" in reply.plain_text()
    assert await rows(app, Kudos) == 0
    # The event was not recorded as processed either, so the platform's retry can still succeed.
    again = await app.core.handle(kudos_command(text="@bob great demo", event_id="Ev3"))
    assert "Kudos sent" in again.plain_text()


def core_that_stops_half_way(app) -> Core:
    """`kudos` writes, queues a DM, then refuses; `broken` does the same and then fails."""
    router = Router()

    async def half_way(turn) -> None:
        await write_half_a_kudos(turn)
        await turn.send_dm(to=turn.person, reply=Reply.text("half"))

    @router.command("kudos")
    async def refuses_late(turn):
        await half_way(turn)
        raise UserError("kudos.only_self")

    @router.command("broken")
    async def broken(turn):
        await half_way(turn)
        raise RuntimeError("the disk caught fire")

    return Core(db=app.db, router=router, clock=app.clock, catalogue=app.catalogue)


async def test_a_refusal_after_writes_keeps_none_of_them_but_records_the_event_and_the_newcomer(app, chat):
    core = core_that_stops_half_way(app)
    newcomer = Actor(platform="console", org="acme", user_id="U-new", name="Newt", locale="zh-CN")
    event = Command(actor=newcomer, channel=Channel(id="dm"), name="kudos", text="x", event_id="Ev4")
    reply = await core.handle(event)
    assert reply.plain_text() == app.catalogue.messages("zh-Hans")("kudos.only_self")
    assert await rows(app, Kudos) == 0
    assert await rows(app, OutboxMessage) == 0
    assert await core.handle(event) is None  # the refused event was still recorded as processed
    async with app.db.read() as session:
        assert await session.scalar(select(func.count()).where(Person.display_name == "Newt")) == 1


async def test_an_event_from_an_unknown_workspace_is_refused(app, chat):
    with pytest.raises(UnknownWorkspace):
        await app.core.handle(kudos_command(text="@bob great demo", org="nobody"))
    assert await rows(app, Kudos) == 0


async def test_someone_rapport_has_not_met_is_added_once(app, chat):
    newcomer = Command(
        actor=Actor(platform="console", org="acme", user_id="U-new", name="Newt", locale="zh-CN"),
        channel=Channel(id="dm"),
        name="kudos",
        text="@bob 谢谢你的帮助",
    )
    reply = await app.core.handle(newcomer)
    assert "已给 Bob Brown 点赞" in reply.plain_text()
    await app.core.handle(newcomer)
    async with app.db.read() as session:
        assert await session.scalar(select(func.count()).where(Person.display_name == "Newt")) == 1


async def test_organisations_never_mix(app, chat):
    await seed_org(app, slug="globex", values=[], domain="globex.example")
    globex = Chat(app=app, org="globex", domain="globex.example")
    await globex.open()

    await globex.send("alice", "/kudos @bob thanks from Globex")
    globex.expect_reply("Kudos sent to Bob Brown")
    assert globex.dms("bob") and not chat.dms("bob")

    # Acme's people cannot be named from Globex, even by their full email.
    await globex.send("alice", "/kudos @carol@example.com hello there")
    globex.expect_reply("couldn't find @carol@example.com")
    # Globex has no company values configured, so Acme's do not apply to it.
    await globex.send("alice", "/kudos @bob thanks #anything")
    globex.expect_reply("Kudos sent")
    async with app.db.read() as session:
        givers = (
            await session.execute(select(Person.email).join(Kudos, Kudos.giver_id == Person.id))
        ).scalars()
        assert set(givers) == {"alice@globex.example"}


async def outbox_rows(app) -> list[OutboxMessage]:
    async with app.db.read() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def every_reply(_reply) -> bool:
    return True


async def test_a_queued_reply_is_written_with_the_effect_where_the_event_happened(app, chat):
    event = kudos_command(text="@bob great demo", event_id="Ev5")
    reply = await app.core.handle(event, queue_reply=every_reply)
    assert "Kudos sent" in reply.plain_text()
    dm_to_bob, answer = await outbox_rows(app)
    assert dm_to_bob.kind == "dm"
    assert (answer.kind, answer.channel_id, answer.platform) == ("channel", "dm", "console")
    assert "Kudos sent" in answer.payload["summary"]
    assert await app.core.handle(event, queue_reply=every_reply) is None  # a retry queues nothing more
    assert len(await outbox_rows(app)) == 2


async def test_a_refusal_is_queued_and_a_failure_queues_only_the_apology(app, chat):
    core = core_that_stops_half_way(app)
    await core.handle(kudos_command(text="x", event_id="Ev6"), queue_reply=every_reply)
    (refusal,) = await outbox_rows(app)
    assert refusal.payload["summary"] == app.catalogue.messages("en")("kudos.only_self")

    failing = kudos_command(text="x", event_id="Ev7")
    failing = Command(actor=failing.actor, channel=failing.channel, name="broken", text="", event_id="Ev7")
    await core.handle(failing, queue_reply=every_reply)
    refusal, apology = await outbox_rows(app)
    assert "something went wrong on my side" in apology.payload["summary"]
    assert await rows(app, Kudos) == 0


async def test_a_reply_the_adapter_shows_itself_is_not_queued(app, chat):
    await app.core.handle(kudos_command(text="@bob", event_id="Ev8"), queue_reply=lambda r: not r.error)
    assert await outbox_rows(app) == []  # the refusal (no message) is a form error the adapter shows
