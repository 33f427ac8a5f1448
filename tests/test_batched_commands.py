"""Slash commands arriving together are handled together (bot.batch): one transaction, and each
person still gets their own answer, refusal or daily cap, as if they had come one by one."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import event, func, select

from adapters.console.chat import DM_CHANNEL, PLATFORM
from bot.batch import TurnBatcher
from bot.core import UnknownWorkspace
from bot.events import Actor, Channel, Command
from store import kudos as kudos_store
from store.models import Kudos, KudosRecipient, Organisation, OutboxMessage, Person


def kudos(handle: str, text: str, *, org: str = "acme") -> Command:
    email = f"{handle}@example.com"
    actor = Actor(platform=PLATFORM, org=org, user_id=email, email=email)
    return Command(actor=actor, channel=Channel(id=DM_CHANNEL), name="kudos", text=text)


async def together(app, *commands: Command) -> list:
    """Hand the core all the commands at once, as concurrent requests do."""
    return await asyncio.gather(*(app.core.handle(c) for c in commands), return_exceptions=True)


async def count(app, model) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(model))


def transactions(app) -> list[str]:
    """The write transactions begun from now on."""
    begun: list[str] = []
    event.listen(app.db.writer.sync_engine, "begin", lambda _conn: begun.append("BEGIN"))
    return begun


async def test_kudos_given_at_once_share_one_transaction_and_each_giver_gets_their_answer(app, org, chat):
    begun = transactions(app)
    replies = await together(
        app,
        kudos("bob", "@alice great demo"),
        kudos("alice", "@wei @carol thanks for the review"),
        kudos("carol", "@bob @dan nice launch"),
        kudos("wei", "@erin 谢谢你的帮助"),
    )
    texts = [r.plain_text() for r in replies]
    assert texts[0] == "Kudos sent to Alice Smith. I've let them know."
    assert "张伟 and Carol Jones" in texts[1]
    assert "Bob Brown and Dan Lee" in texts[2]
    assert texts[3] == "已给 Erin Park 点赞，我已通知对方。"
    assert begun == ["BEGIN"]
    assert (await count(app, Kudos), await count(app, KudosRecipient), await count(app, OutboxMessage)) == (
        4,
        6,
        6,
    )
    async with app.db.read() as session:
        rows = await session.execute(
            select(Kudos.message, Person.handle).join(Person, Person.id == Kudos.giver_id)
        )
        pairs = {tuple(row) for row in rows}
    assert ("nice launch", "carol") in pairs and ("great demo", "bob") in pairs


async def test_the_daily_cap_counts_kudos_given_earlier_in_the_same_batch(app, org, chat):
    async with app.db.transaction() as session:
        (await session.get(Organisation, org.id)).daily_give_cap = 3
    replies = await together(app, *(kudos("bob", f"@alice thanks, number {n}") for n in range(5)))
    texts = [r.plain_text() for r in replies]
    assert [t.startswith("Kudos sent") for t in texts] == [True, True, True, False, False]
    assert "3" in texts[3] and texts[3] == texts[4]
    assert await count(app, Kudos) == 3


async def test_a_refusal_in_a_batch_leaves_the_other_commands_alone(app, org, chat):
    replies = await together(
        app,
        kudos("bob", "@nobody thanks"),
        kudos("alice", "@bob thanks for the pairing"),
        kudos("carol", ""),
        kudos("dan", "@dan me, myself"),
    )
    texts = [r.plain_text() for r in replies]
    assert "@nobody" in texts[0] and replies[0].error
    assert texts[1].startswith("Kudos sent to Bob Brown")
    assert "/kudos @" in texts[2]  # the help, with an example
    assert replies[3].error
    assert await count(app, Kudos) == 1


async def test_a_batch_that_fails_is_handled_again_one_command_at_a_time(app, org, chat, monkeypatch, caplog):
    add_many = kudos_store.add_many

    async def failing_for_batches(session, *, org_id, kudos, now):
        if len(kudos) > 1:
            raise RuntimeError("a bug that shows only with several kudos at once")
        return await add_many(session, org_id=org_id, kudos=kudos, now=now)

    monkeypatch.setattr(kudos_store, "add_many", failing_for_batches)
    with caplog.at_level(logging.ERROR, logger="bot.batch"):
        replies = await together(app, kudos("bob", "@alice one"), kudos("alice", "@bob two"))
    assert [r.plain_text().startswith("Kudos sent") for r in replies] == [True, True]
    assert await count(app, Kudos) == 2 and await count(app, OutboxMessage) == 2
    assert "each is handled again on its own" in caplog.text


async def test_a_command_from_an_unknown_workspace_fails_alone(app, org, chat):
    replies = await together(
        app, kudos("bob", "@alice thanks", org="elsewhere"), kudos("alice", "@bob thanks")
    )
    assert isinstance(replies[0], UnknownWorkspace)
    assert replies[1].plain_text().startswith("Kudos sent to Bob Brown")


async def test_a_newcomer_who_sends_twice_at_once_is_one_person(app, org, chat):
    before = await count(app, Person)
    replies = await together(
        app, kudos("newcomer", "@alice welcome lunch"), kudos("newcomer", "@bob welcome lunch")
    )
    assert [r.plain_text().startswith("Kudos sent") for r in replies] == [True, True]
    assert await count(app, Person) == before + 1


async def test_a_command_alone_is_a_batch_of_one(app, org, chat):
    begun = transactions(app)
    (reply,) = await together(app, kudos("bob", "@alice thanks"))
    assert reply.plain_text() == "Kudos sent to Alice Smith. I've let them know."
    assert begun == ["BEGIN"]


async def test_commands_waiting_on_a_stopped_batcher_are_cancelled_not_left_hanging():
    """The loop shuts down in the middle of a batch: its callers and those queued behind it are
    cancelled, rather than waiting for answers that will never come."""
    started, never = asyncio.Event(), asyncio.Event()

    async def slow_batch(events):
        started.set()
        await never.wait()

    async def alone(event):
        raise AssertionError("not reached")

    batcher = TurnBatcher(handle_batch=slow_batch, handle_alone=alone)
    first = asyncio.ensure_future(batcher.submit(kudos("bob", "@alice one")))
    await started.wait()
    second = asyncio.ensure_future(batcher.submit(kudos("alice", "@bob two")))
    await asyncio.sleep(0)
    batcher._draining.cancel()
    results = await asyncio.wait_for(asyncio.gather(first, second, return_exceptions=True), timeout=1)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)


class Recorder:
    """A batcher whose batches are only recorded: each event's reply is its own text."""

    def __init__(self, *, window: float, busy_gap: float = 0.25) -> None:
        self.batches: list[list[str]] = []
        self.batcher = TurnBatcher(
            handle_batch=self._batch, handle_alone=self._alone, window=window, busy_gap=busy_gap
        )

    async def _batch(self, events):
        self.batches.append([e.text for e in events])
        return [e.text for e in events]

    async def _alone(self, event):
        raise AssertionError("no batch fails here")

    async def give(self, text: str):
        return await self.batcher.submit(kudos("bob", text))


async def test_commands_that_keep_coming_one_at_a_time_wait_a_moment_for_each_other():
    """A steady stream (one every 50 ms here) would be batches of one; while commands keep coming,
    the first of a batch waits for the next ones, and they share its transaction."""
    recorder = Recorder(window=0.5)
    assert await recorder.give("@alice one") == "@alice one"  # the first after a quiet spell: alone
    second = asyncio.ensure_future(recorder.give("@alice two"))
    await asyncio.sleep(0.05)
    third = asyncio.ensure_future(recorder.give("@alice three"))
    assert await asyncio.gather(second, third) == ["@alice two", "@alice three"]
    assert recorder.batches == [["@alice one"], ["@alice two", "@alice three"]]


async def test_a_command_after_a_quiet_spell_does_not_wait():
    recorder = Recorder(window=30.0, busy_gap=0.05)
    await recorder.give("@alice one")
    await asyncio.sleep(0.1)  # longer than the gap: the stream has stopped
    assert await asyncio.wait_for(recorder.give("@alice two"), timeout=5) == "@alice two"
    assert recorder.batches == [["@alice one"], ["@alice two"]]
