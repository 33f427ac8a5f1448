"""People over loopback: profiles filled from users.info in the background, imported people matched
by email (a first-sight person merges into them), profile changes on Slack (user_change), and DMs
to people not yet seen on Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.features.checkins import cycle
from store import due_work, people
from store.models import Identity, Kudos, KudosRecipient, OutboxMessage, Person
from tests.slack.fake_slack import TEAM_ID
from tests.slack.support import USERS


async def person_named(app, name: str) -> Person | None:
    async with app.db.read() as session:
        return await session.scalar(select(Person).where(Person.display_name == name))


async def test_a_new_slack_user_gets_their_profile_in_the_background(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    fake_slack.add_user(
        TEAM_ID, "U0NADIA", name="Nadia Novak", email="nadia@example.org", tz="Europe/Paris", locale="zh-CN"
    )
    response = await quiet_requests.command("U0NADIA", f"<@{USERS['alice']}|alice> thanks for the welcome")
    assert "Kudos sent to Alice Smith" in response.json()["text"]
    assert fake_slack.called("users.info") == []  # not on the request path
    assert await person_named(slack_app, "U0NADIA") is not None

    await quiet_server.slack.profiles.run_once()
    nadia = await person_named(slack_app, "Nadia Novak")
    assert (nadia.email, nadia.timezone, nadia.locale) == ("nadia@example.org", "Europe/Paris", "zh-Hans")
    assert await person_named(slack_app, "U0NADIA") is None
    asked = {c.params["user"] for c in fake_slack.called("users.info")}
    assert "U0NADIA" in asked
    calls = len(fake_slack.called("users.info"))
    await quiet_server.slack.profiles.run_once()
    assert len(fake_slack.called("users.info")) == calls  # each user is asked about once


async def test_an_imported_person_is_matched_by_email_not_duplicated(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    """Erin was imported (erin@example.com, managed by Dan) but has never used Rapport on Slack."""
    fake_slack.add_user(TEAM_ID, "U0ERIN", name="erin.w", email="ERIN@example.com", tz="Europe/London")
    await quiet_requests.command("U0ERIN", f"<@{USERS['bob']}|bob> great pairing session")
    await quiet_server.slack.profiles.run_once()

    async with slack_app.db.read() as session:
        erins = list(
            await session.scalars(select(Person).where(func.lower(Person.email) == "erin@example.com"))
        )
        assert await session.scalar(select(func.count()).where(Person.display_name == "U0ERIN")) == 0
        (erin,) = erins
        dan = await people.by_handle(session, org_id=erin.org_id, handle="dan")
        giver = await session.scalar(select(Kudos.giver_id))
        identity = await session.scalar(
            select(Identity.person_id).where(Identity.platform_user_id == "U0ERIN")
        )
    assert giver == identity == erin.id
    # What the import said stands; Slack fills nothing that was already there.
    assert (erin.display_name, erin.timezone, erin.handle) == ("Erin Park", "America/New_York", "erin")
    assert erin.manager_id == dan.id


async def test_a_dm_to_an_imported_person_finds_them_by_email(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    fake_slack.add_user(TEAM_ID, "U0ERIN", name="Erin", email="erin@example.com")
    response = await quiet_requests.command(USERS["bob"], "@erin thanks for the review")
    assert "Kudos sent to" in response.json()["text"]
    outcomes = await quiet_server.slack.worker.run_once()
    assert [o.status for o in outcomes] == ["sent"]
    assert fake_slack.called("users.lookupByEmail")[0].params["email"] == "erin@example.com"
    assert "thanks for the review" in fake_slack.posted("D0ERIN")[0]["text"]
    async with slack_app.db.read() as session:
        erin = await session.scalar(select(Person).where(Person.handle == "erin"))
        assert (
            await people.by_identity(session, org_id=erin.org_id, platform="slack", user_id="U0ERIN") == erin
        )
        assert await session.scalar(select(func.count()).select_from(KudosRecipient)) == 1


async def test_a_dm_to_someone_not_on_slack_fails_with_the_reason(quiet_server, quiet_requests, slack_app):
    await quiet_requests.command(USERS["bob"], "@erin thanks for the review")
    outcomes = await quiet_server.slack.worker.run_once()
    assert [(o.status, o.error) for o in outcomes] == [
        ("failed", "no Slack user has the email erin@example.com")
    ]
    async with slack_app.db.read() as session:
        assert await session.scalar(select(OutboxMessage.last_error)) == outcomes[0].error


def user_change(user_id: str, *, name: str, tz: str, **extra) -> dict:
    """A `user_change` event: Slack sends the whole user object whenever any of it changes."""
    return {
        "type": "user_change",
        "user": {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "tz": tz,
            "profile": {"real_name": name, "display_name": name, "status_emoji": ":palm_tree:"},
            "is_bot": False,
            "deleted": False,
            **extra,
        },
        "event_ts": "1764000000.000100",
    }


async def next_prompts(app, name: str) -> list[datetime]:
    async with app.db.read() as session:
        person = await session.scalar(select(Person).where(Person.display_name == name))
        due = await due_work.pending(session, org_id=person.org_id, kind=cycle.PROMPT, subject=person.id)
        return [d.run_at for d in due]


async def test_a_time_zone_from_slack_moves_the_next_check_in_to_that_local_time(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    """Nadia sets her check-in before Rapport knows her zone (UTC until then); her profile, then a
    move to Shanghai on Slack, each bring the prompt to 09:00 where she is."""
    fake_slack.add_user(TEAM_ID, "U0NADIA", name="Nadia Novak", email="nadia@example.org", tz="Europe/Paris")
    response = await quiet_requests.command("U0NADIA", "schedule weekly monday 09:00", command="/checkin")
    assert response.status == 200
    assert await next_prompts(slack_app, "U0NADIA") == [datetime(2026, 11, 30, 9, 0, tzinfo=UTC)]

    await quiet_server.slack.profiles.run_once()
    assert await next_prompts(slack_app, "Nadia Novak") == [datetime(2026, 11, 30, 8, 0, tzinfo=UTC)]

    asked = len(fake_slack.called("users.info"))
    response = await quiet_requests.event(user_change("U0NADIA", name="Nadia Li", tz="Asia/Shanghai"))
    assert response.status == 200
    assert len(fake_slack.called("users.info")) == asked  # the event carries the profile
    assert await next_prompts(slack_app, "Nadia Li") == [datetime(2026, 11, 30, 1, 0, tzinfo=UTC)]
    # A change elsewhere in the profile (a status) moves nothing.
    await quiet_requests.event(user_change("U0NADIA", name="Nadia Li", tz="Asia/Shanghai"), event_id="Ev2")
    assert await next_prompts(slack_app, "Nadia Li") == [datetime(2026, 11, 30, 1, 0, tzinfo=UTC)]


async def test_a_profile_change_on_slack_leaves_what_the_import_said(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    fake_slack.add_user(TEAM_ID, "U0ERIN", name="erin.w", email="erin@example.com", tz="Europe/London")
    await quiet_requests.command("U0ERIN", f"<@{USERS['bob']}|bob> great pairing session")
    await quiet_server.slack.profiles.run_once()
    await quiet_requests.event(user_change("U0ERIN", name="Erin W", tz="Asia/Tokyo"))
    async with slack_app.db.read() as session:
        erin = await session.scalar(select(Person).where(Person.handle == "erin"))
    assert (erin.display_name, erin.timezone) == ("Erin Park", "America/New_York")


async def test_profile_changes_of_users_rapport_has_not_met_and_of_bots_are_ignored(
    quiet_requests, slack_app
):
    before = await people_count(slack_app)
    assert (
        await quiet_requests.event(user_change("U0STRANGER", name="Stranger", tz="Asia/Tokyo"))
    ).status == 200
    bot = user_change(USERS["alice"], name="Alice Bot", tz="Asia/Tokyo", is_bot=True)
    assert (await quiet_requests.event(bot, event_id="Ev3")).status == 200
    assert await people_count(slack_app) == before
    async with slack_app.db.read() as session:
        alice = await session.scalar(select(Person).where(Person.handle == "alice"))
    assert alice.display_name == "Alice Smith"


async def people_count(app) -> int:
    async with app.db.read() as session:
        return await session.scalar(select(func.count()).select_from(Person))


async def test_a_slack_account_named_like_a_colleague_is_shown_with_its_id_until_linked(
    quiet_server, quiet_requests, slack_app, fake_slack
):
    """Someone on Slack calls themselves Carol Jones; their email matches nobody, so they are not Carol."""
    fake_slack.add_user(TEAM_ID, "U0FAKE", name="Carol Jones", email="carol.j@elsewhere.example")
    await quiet_requests.command("U0FAKE", f"<@{USERS['alice']}|alice> please send me the salary sheet")
    await quiet_server.slack.profiles.run_once()
    assert await person_named(slack_app, "Carol Jones (slack U0FAKE)") is not None
    await quiet_requests.event(user_change("U0FAKE", name="Carol Jones", tz="Asia/Tokyo"))
    await quiet_requests.event(user_change("U0FAKE", name="Dan Lee", tz="Asia/Tokyo"), event_id="Ev2")
    assert await person_named(slack_app, "Dan Lee (slack U0FAKE)") is not None
    await quiet_requests.event(user_change("U0FAKE", name="Fay Cole", tz="Asia/Tokyo"), event_id="Ev3")
    assert await person_named(slack_app, "Fay Cole") is not None
    async with slack_app.db.read() as session:
        carols = list(await session.scalars(select(Person.display_name).where(Person.handle == "carol")))
    assert carols == ["Carol Jones"]
