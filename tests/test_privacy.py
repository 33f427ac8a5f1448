"""Export, erasure, retention and the audit trail: what a person can take, and what leaves no trace."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select

from adapters.cli import main
from bot.features.privacy.erase import erase_person
from bot.features.privacy.retention import apply_retention, cutoff
from store import audit, people
from store.checkin_models import FormSession
from store.erasure_tables import ERASERS
from store.models import Kudos
from store.schema import Base
from tests.support import Chat, seed_org

ALICE_WORDS = ["thanks for the pairing marathon", "your design doc was crisp", "shipped the search page"]
ABOUT_ALICE = [
    "Wants to lead the Berlin guild",
    "I will sponsor a conference talk",
    "She ran the standups",
    "the Berlin rollout",
    "Strong quarter, needs to delegate more",
]


async def busy_quarter(chat: Chat) -> None:
    """Alice gives and receives kudos and feedback, owns actions, has a review and a check-in."""
    await chat.send("bob", "/kudos @alice great release notes #customer")
    await chat.send("carol", "/kudos @alice @bob calm incident handling #ownership")
    await chat.send("alice", f"/kudos @bob {ALICE_WORDS[0]}")
    await chat.send("bob", "/feedback @alice Clear demo; slow down on the numbers --share-with-manager")
    await chat.send("alice", f"/feedback @wei {ALICE_WORDS[1]}")
    await chat.send("wei", "/feedback @carol 周会可以更短一些")  # not about Alice
    await chat.send("carol", "/action @alice Prepare the Q1 plan by 2026-12-10")
    await chat.send("alice", "/action Book the offsite by 2026-12-01")
    await chat.send("carol", "/review schedule @alice 2026-12-10 15:00")
    await chat.send("alice", '/feedback request @bob about "the Berlin rollout"')
    await chat.send("bob", "/feedback answer 1")
    for answer in ("Rollout week", "She ran the standups", "Fewer surprises", "Write the plan down earlier"):
        await chat.send("bob", answer)
    await chat.send("alice", "/checkin")
    await chat.send("alice", "4")
    await chat.send("alice", ALICE_WORDS[2])


async def test_export_holds_what_is_about_the_person_and_nothing_else(chat, app):
    await seed_org(app, slug="globex", values=[], domain="globex.example")
    globex = Chat(app=app, org="globex", domain="globex.example")
    await globex.open()
    await globex.send("bob", "/kudos @alice the globex secret handshake")
    await busy_quarter(chat)

    await chat.send("alice", "/rapport export")
    chat.expect_reply("I've sent you everything Rapport holds about you")
    [delivery] = [d for d in chat.deliveries if d.files]
    assert delivery.recipient == "alice@example.com"
    data = json.loads(delivery.files[0].content)
    assert delivery.files[0].name == "rapport-export-alice-2026-11-24.json"

    assert data["profile"]["email"] == "alice@example.com" and data["profile"]["manager"] == "Carol Jones"
    assert {k["message"] for k in data["kudos_received"]} == {"great release notes", "calm incident handling"}
    assert data["kudos_given"] == [
        {"at": data["kudos_given"][0]["at"], "message": ALICE_WORDS[0], "values": [], "to": ["Bob Brown"]}
    ]
    assert [f["from"] for f in data["feedback_received"]] == ["Bob Brown"]
    assert [f["to"] for f in data["feedback_given"]] == ["张伟"]
    assert {a["title"] for a in data["actions"]} == {"Prepare the Q1 plan", "Book the offsite"}
    assert ALICE_WORDS[2] in json.dumps(data["checkins"])
    assert [(r["role"], r["with"]) for r in data["reviews"]] == [("employee", "Carol Jones")]
    everything = json.dumps(data, ensure_ascii=False)
    assert "周会可以更短一些" not in everything  # feedback between others
    assert "globex" not in everything.lower()  # another organisation
    async with app.db.read() as session:
        [(entry, subject)] = await audit.entries(session, org_id=1)
    assert (entry.action, subject) == ("export", "Alice Smith")


async def every_cell(app) -> str:
    """The whole database as text, every table and column."""
    dump = []
    async with app.db.read() as session:
        for table in Base.metadata.sorted_tables:
            for row in await session.execute(select(table)):
                dump.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(dump)


async def counts(app) -> dict[str, int]:
    async with app.db.read() as session:
        return {
            table.name: await session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


async def hold_review(chat: Chat, clock) -> None:
    """Carol holds the review busy_quarter scheduled and writes the record; Alice comments on it."""
    await chat.send("carol", "/review draft @alice")
    await chat.send("carol", ABOUT_ALICE[4])
    await chat.send("carol", "cancel")
    clock.set(datetime(2026, 12, 10, 16, 0, tzinfo=UTC))
    await chat.send("carol", "/review notes @alice")
    for answer in ("Release on time", "Calm in incidents", "Plan smaller", ABOUT_ALICE[0], "skip", "skip"):
        await chat.send("carol", answer)
    await chat.send(
        "carol", "@alice Draft the guild charter by 2026-12-20; @carol Book the venue by 2026-12-18"
    )
    await chat.send("carol", ABOUT_ALICE[1])
    chat.expect_reply("2 agreed actions")
    await chat.send("alice", f"/review comment {ALICE_WORDS[0]} again")


async def test_erasure_leaves_no_trace_of_the_persons_words_keeps_counts_and_is_idempotent(
    chat, app, org, clock
):
    await busy_quarter(chat)
    await hold_review(chat, clock)
    await chat.send("carol", "/review amend @alice")  # the first version goes into the record's history
    for answer in (
        "skip",
        "skip",
        "skip",
        "skip",
        "skip",
        "skip",
        "@alice Draft the guild charter by 2026-12-20; reason: she leaves",
        "skip",
    ):
        await chat.send("carol", answer)
    chat.expect_reply("is amended")
    stored = await every_cell(app)
    assert all(trace in stored for trace in [*ALICE_WORDS, *ABOUT_ALICE]), (
        "the scenario must store what erasure removes"
    )
    before = await counts(app)
    async with app.db.transaction() as session:
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        assert await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="test"
        )

    dump = await every_cell(app)
    for trace in [
        *ALICE_WORDS,
        *ABOUT_ALICE,
        "Alice Smith",
        "alice@example.com",
        "great release notes",
        "slow down on the numbers",
    ]:
        assert trace not in dump, trace
    after = await counts(app)
    for kept in (
        "kudos",
        "kudos_recipient",
        "feedback",
        "form_session",
        "action_item",
        "review_meeting",
        "person",
    ):
        assert after[kept] == before[kept], kept
    assert after["identity"] < before["identity"]
    # Others' words about others stay: the kudos to Alice and Bob together keeps its text.
    async with app.db.read() as session:
        assert (
            await session.scalar(select(Kudos.message).where(Kudos.giver_id != alice.id, Kudos.message != ""))
            == "calm incident handling"
        )

    async with app.db.transaction() as session:
        assert not await erase_person(
            session, org_id=org.id, person_id=alice.id, now=app.clock.now(), actor_label="test"
        )
    assert await every_cell(app) == dump
    await chat.send("bob", "/kudos @alice are you there?")
    chat.expect_reply("couldn't find @alice")


def tables_pointing_at_a_person() -> set[str]:
    return {
        table.name
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "person"
    }


def test_every_table_that_points_at_a_person_is_covered_by_erasure():
    assert tables_pointing_at_a_person() - set(ERASERS) == set()


async def test_retention_removes_old_answers_and_keeps_the_rest(chat, app, org, clock):
    await chat.send("alice", "/checkin")
    await chat.send("alice", "4")
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    await chat.send("bob", "/checkin")
    await chat.send("bob", "5")
    async with app.db.transaction() as session:
        assert await apply_retention(session, org_id=org.id, months=6, now=clock.now()) == 1
    async with app.db.read() as session:
        rows = {s.person_id: s.answers for s in await session.scalars(select(FormSession))}
    alice = 2
    assert rows[alice] == {} and rows[alice + 1] != {}
    assert cutoff(datetime(2027, 3, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)


def test_the_command_line_exports_erases_and_audits(demo_cli, tmp_path, capsys):
    assert main(["person", "export", "wei@example.com", "--out", "wei.json"]) == 0
    assert json.loads((tmp_path / "wei.json").read_text("utf-8"))["profile"]["name"] == "张伟"
    assert main(["person", "erase", "wei@example.com"]) == 2
    assert main(["person", "erase", "wei@example.com", "--yes"]) == 0
    assert main(["person", "erase", "wei@example.com", "--yes", "--compact"]) == 0
    assert main(["retention", "--months", "12"]) == 0
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "Erased wei@example.com" in out
    assert "Nobody with the email wei@example.com remains" in out
    assert "The tables that held their words are rewritten" in out
    assert "command line: erasure about —" in out and "command line: export about —" in out
    assert "older than 12 months are removed daily" in out
