"""The export holds everything Rapport keeps about a person: every table with personal data has its
place in it (a registry, checked like erasure's), and a busy quarter fills each place."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.slack import storage as slack_store
from adapters.teams import references as teams_store
from bot.features.privacy.export import EXPORTED, gather
from bot.insights.signin import issue_link, redeem_link
from store import people
from store.erasure_tables import ERASERS
from tests.test_privacy import (
    ABOUT_ALICE,
    ALICE_WORDS,
    busy_quarter,
    hold_review,
    tables_pointing_at_a_person,
)


def test_every_table_with_personal_data_has_its_place_in_the_export():
    erased = {name for name in ERASERS if "." not in name}  # tables keyed by a platform id count too
    assert (tables_pointing_at_a_person() | erased) - set(EXPORTED) == set()


async def answer_anonymously(chat, handles: list[str]) -> None:
    await chat.send("alice", f"/feedback request {' '.join('@' + h for h in handles)} --anonymous")
    for handle in handles:
        await chat.send(handle, "/feedback answer 2")
        for part in ("situation", "behaviour", "effect", "suggestion"):
            await chat.send(handle, f"{part} from {handle}-anon")


async def the_quarter(chat, app, org, clock) -> None:
    """Everything a person can leave behind, for Alice (employee) and Carol (her manager)."""
    await busy_quarter(chat)
    await chat.send("alice", "/rapport mute until 2026-11-30")
    await chat.send("carol", "/checkin schedule weekly friday 16:00")
    await chat.send("carol", "/checkin")
    for answer in ("3", "Planned Q1", "skip", "yes", "waiting for budget approval", "skip", "hiring", "skip"):
        await chat.send("carol", answer)
    chat.expect_reply("your check-in is saved")
    await answer_anonymously(chat, ["bob", "wei", "dan"])
    # issue 18: a goal with a key result and an update, and a development goal
    await chat.send("alice", "/goal add Ship billing v2 by 2027-03-31")
    await chat.send("alice", "/goal kr 1 Migrate customers 0 -> 40 customers")
    await chat.send("alice", "/goal update 1.1 12 confidence 7 two more signed")
    await chat.send("carol", "/goal idp add @alice Facilitation: run two retros; support: a co-facilitator")
    await chat.send("carol", "/review example @alice ran the incident call")
    chat.expect_reply("Noted: 1 example")
    await hold_review(chat, clock)
    await chat.send("carol", "/review history @alice")
    await chat.send("carol", "/review amend @alice")
    for answer in ("skip",) * 8:
        await chat.send("carol", answer)
    await chat.tick(datetime(2026, 12, 11, 17, 0, tzinfo=UTC))  # the pulse, a day after the review
    for answer in ("yes", "no", "4"):
        await chat.send("alice", answer)
    chat.expect_reply("Thank you")
    async with app.db.transaction() as session:
        carol = await people.by_handle(session, org_id=org.id, handle="carol")
        alice = await people.by_handle(session, org_id=org.id, handle="alice")
        token = await issue_link(session, org_id=org.id, person_id=carol.id, now=clock.now())
        await redeem_link(session, token=token, now=clock.now())
        await people.add_identity(
            session, org_id=org.id, person_id=alice.id, platform="slack", user_id="U0ALICE"
        )
        await slack_store.record_fetch(
            session,
            org_id=org.id,
            user_id="U0ALICE",
            now=clock.now(),
            profile={"name": "Alice S.", "timezone": "Europe/Berlin"},
        )
        await people.add_identity(
            session, org_id=org.id, person_id=alice.id, platform="teams", user_id="29:alice"
        )
        await teams_store.save_reference(
            session,
            org_id=org.id,
            ref=teams_store.Reference(
                user_id="29:alice",
                tenant_id="t",
                service_url="https://smba.test/",
                bot_id="b",
                conversation_id="a:1",
            ),
            now=clock.now(),
        )


async def exports(app, org, *handles: str) -> dict[str, dict]:
    async with app.db.read() as session:
        found = {}
        for handle in handles:
            person = await people.by_handle(session, org_id=org.id, handle=handle)
            found[handle] = await gather(session, org=org, person=person, now=app.clock.now())
    return json.loads(json.dumps(found))  # exactly what goes into the file


async def test_a_busy_quarter_fills_every_part_of_the_export(chat, app, org, clock):
    await the_quarter(chat, app, org, clock)
    data = await exports(app, org, "alice", "carol")
    for table, sections in EXPORTED.items():
        assert all(section in data["alice"] for section in sections), table
        assert any(data[who][s] for who in data for s in sections), f"{table}: nothing exported"

    alice, carol = data["alice"], data["carol"]
    [record] = alice["review_records"]
    assert record["role"] == "employee" and record["with"] == "Carol Jones"
    assert record["parts"]["development"] == ABOUT_ALICE[0] and record["support"] == ABOUT_ALICE[1]
    assert [(a["owner"], a["title"]) for a in record["agreed_actions"]] == [
        ("Alice Smith", "Draft the guild charter"),
        ("Carol Jones", "Book the venue"),
    ]
    [earlier] = record["earlier_versions"]  # the amendment kept her comment on the first version
    assert earlier["comment"] == f"{ALICE_WORDS[0]} again"
    assert earlier["actions"][0] == {
        "owner": "Alice Smith",
        "title": "Draft the guild charter",
        "due_on": "2026-12-20",
    }
    assert "your_preparation" not in record  # the manager's private preparation stays with the manager
    assert carol["review_records"][0]["your_preparation"]["examples"] == ["ran the incident call"]

    named, anonymous = alice["feedback_requests"]
    assert named["answers"][0]["from"] == "Bob Brown" and "She ran the standups" in json.dumps(named)
    assert anonymous["anonymous"] and len(anonymous["answers"]) == 3
    assert all(set(a) == {"batch", "answers"} for a in anonymous["answers"])  # no names
    assert {a["answers"]["situation"] for a in anonymous["answers"]} == {
        f"situation from {h}-anon" for h in ("bob", "wei", "dan")
    }
    [pulse] = alice["pulse_answers"]
    assert pulse["status"] == "done" and pulse["answers"] == {} and pulse["kept_only_as_an_anonymous_count"]
    assert carol["review_pulse"] == {"shown": False}  # one answer: too few to show, here as anywhere
    assert alice["availability"]["muted_until"].startswith("2026-11-30")
    assert carol["checkin_schedule"] == {"cadence": "weekly", "weekday": 4, "at": "16:00"}
    assert [s.get("used_at") is not None for s in carol["dashboard_sign_ins"]] == [True, False]
    assert {
        (a["platform"], a.get("profile_name"), a.get("conversation_id")) for a in alice["profile"]["accounts"]
    } >= {
        ("slack", "Alice S.", None),
        ("teams", None, "a:1"),
    }
    assert ("Carol Jones", "view_record", "Alice Smith") in {
        (e["who"], e["did"], e["about"]) for e in alice["audit"]
    }
    assert any("recorded your review" in (m["text"] or "") for m in alice["messages_to_you"])
    [goal] = alice["goals"]
    assert (
        goal["title"] == "Ship billing v2"
        and goal["key_results"][0]["updates"][0]["note"] == "two more signed"
    )
    assert alice["development_goals"][0]["support"] == "a co-facilitator" and carol["goals"] == []
    bob = (await exports(app, org, "bob"))["bob"]
    assert [a["your_status"] for a in bob["feedback_asked_of_you"]] == ["answered", "answered"]
    assert "situation from bob-anon" in json.dumps(bob["feedback_asked_of_you"])
