"""App Home over loopback: app_home_opened → the core's home view → views.publish by the delivery worker."""

from __future__ import annotations

from datetime import date, timedelta

from bot.features.checkins import cycle
from store import actions, due_work, orgs, people
from tests.slack.support import USERS


def home_event(handle: str) -> dict:
    return {"type": "app_home_opened", "user": USERS[handle], "channel": "D0" + handle, "tab": "home"}


def home_text(fake_slack, user_id: str) -> str:
    view = fake_slack.homes[("T0ACME", user_id)]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    texts = []
    for block in view["blocks"]:
        texts.append((block.get("text") or {}).get("text", ""))
        texts += [e.get("text", "") for e in block.get("elements", [])]
    return "\n".join(texts)


async def seed_home(app, clock) -> None:
    """Carol (who manages Alice, Bob and Wei) has an action, Bob an overdue one, Carol a check-in due."""
    now = clock.now()
    async with app.db.transaction() as session:
        org_id = (await orgs.by_slug(session, "acme")).id
        carol = await people.by_handle(session, org_id=org_id, handle="carol")
        bob = await people.by_handle(session, org_id=org_id, handle="bob")
        for owner, title, due in (
            (carol, "Write the Q1 plan", date(2026, 12, 4)),
            (bob, "Fix the flaky deploy", date(2026, 11, 20)),
        ):
            await actions.create(
                session,
                org_id=org_id,
                title=title,
                owner_id=owner.id,
                creator_id=carol.id,
                status="open",
                due_on=due,
                source="command",
                now=now,
            )
        await due_work.add_due(
            session,
            org_id=org_id,
            kind=cycle.PROMPT,
            subject=carol.id,
            run_at=now + timedelta(days=3),
            now=now,
        )


async def test_home_shows_kudos_actions_team_and_next_checkin(
    quiet_server, quiet_requests, slack_app, fake_slack, clock
):
    await seed_home(slack_app, clock)
    await quiet_requests.command(USERS["alice"], f"<@{USERS['carol']}|carol> clear priorities all quarter")
    await quiet_requests.command(USERS["carol"], f"<@{USERS['dan']}|dan> smooth hand-over")
    await quiet_server.slack.worker.run_once()  # the kudos DMs
    assert (await quiet_requests.event(home_event("carol"), event_id="EvHome1")).status == 200
    assert fake_slack.called("views.publish") == []  # never on the request path

    outcomes = await quiet_server.slack.worker.run_once()
    assert [o.status for o in outcomes] == ["sent"]
    (call,) = fake_slack.called("views.publish")
    assert call.params["user_id"] == USERS["carol"]
    text = home_text(fake_slack, USERS["carol"])
    assert "Rapport for Carol" in text
    assert "*Alice Smith*: clear priorities all quarter" in text
    assert "*Dan" in text and "smooth hand-over" in text
    assert "Write the Q1 plan, due Fri 4 Dec 2026" in text
    assert "Your team's actions: 1 open, 1 overdue" in text
    assert "Bob Brown: Fix the flaky deploy, due Fri 20 Nov 2026 (overdue)" in text
    assert "Your next check-in: Fri 27 Nov 2026" in text


async def test_home_in_chinese_without_team_or_checkin(quiet_server, quiet_requests, fake_slack):
    await quiet_requests.event(home_event("wei"), event_id="EvHomeWei")
    await quiet_server.slack.worker.run_once()
    text = home_text(fake_slack, USERS["wei"])
    assert "张伟 的 Rapport" in text and "你收到的点赞" in text and "还没有安排签到" in text
    assert "团队的行动" not in text


async def test_a_crowded_home_stays_within_slacks_limits(
    quiet_server, quiet_requests, slack_app, fake_slack, clock
):
    async with slack_app.db.transaction() as session:
        acme = await orgs.by_slug(session, "acme")
        carol = await people.by_handle(session, org_id=acme.id, handle="carol")
        bob = await people.by_handle(session, org_id=carol.org_id, handle="bob")
        for number in range(200):
            await actions.create(
                session,
                org_id=carol.org_id,
                title=f"Action number {number} " + "with a long description " * 8,
                owner_id=bob.id,
                creator_id=carol.id,
                status="open",
                due_on=None,
                source="command",
                now=clock.now(),
            )
    await quiet_requests.event(home_event("carol"), event_id="EvHomeBusy")
    assert [o.status for o in await quiet_server.slack.worker.run_once()] == ["sent"]
    assert "Your team's actions: 200 open, 0 overdue" in home_text(fake_slack, USERS["carol"])
