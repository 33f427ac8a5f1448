"""The tour's script: every feature, step by step, as people use it, with the longest realistic
content (see tests/payloads/tour.py for what is recorded)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from adapters.app import App
from bot.features.actions.overview import team_overview
from bot.forms.template import load
from bot.replies import Choices, Option, Reply, Text
from store import forms, people
from store.checkin_models import DueWork
from store.models import Person
from tests.payloads.tour import LONG_NAME, Said, Tour, at, words


async def prepare(app: App, org_id: int, locale: str) -> None:
    """Everyone speaks `locale`; Erin has a long name; check-ins ask a ten-option choice question."""
    async with app.db.transaction() as session:
        await session.execute(update(Person).where(Person.org_id == org_id).values(locale=locale))
        await session.execute(update(Person).where(Person.handle == "erin").values(display_name=LONG_NAME))
        template = CHOICE_TEMPLATE.replace(
            "LABELS", ", ".join(f"Option {n} of the list" for n in range(1, 11))
        )
        definition = load(template, key="checkin")
        await forms.add_template(
            session, org_id=org_id, key="checkin", definition=definition, now=app.clock.now()
        )


CHOICE_TEMPLATE = """
key: checkin
title: {en: "Team check-in", zh-Hans: "团队签到"}
questions:
  - id: mood
    type: scale
    text: {en: "How was your week?", zh-Hans: "这周怎么样？"}
  - id: focus
    type: choice
    text: {en: "What took most of your time?", zh-Hans: "什么占用了你最多的时间？"}
    labels: {en: [LABELS], zh-Hans: [LABELS]}
  - id: went_well
    type: text
    text: {en: "What went well?", zh-Hans: "哪些进展顺利？"}
    max_length: 1000
  - id: blocked
    type: yesno
    text: {en: "Are you blocked?", zh-Hans: "你被什么阻塞了吗？"}
  - id: blocker
    type: text
    text: {en: "What is blocking you?", zh-Hans: "是什么阻塞了你？"}
    required: false
    when: {blocked: "yes"}
"""


async def run(tour: Tour) -> None:
    """Every feature, in order; each step as people use it."""
    steps = (
        helps,
        kudos,
        feedback,
        actions,
        goals,  # issue 18
        checkins,
        feedback_requests,
        presence,
        reviews,
        mistakes,
        unreached,
    )
    for step in steps:
        await step(tour, tour.locale)


async def helps(tour: Tour, locale: str) -> None:
    for line in ("/help", "/rapport", "/kudos", "/feedback help", "/action help", "/review", "/checkin help"):
        await tour.send("bob", line)
    await tour.send("bob", "hello there")
    await tour.open_home("carol")


async def kudos(tour: Tour, locale: str) -> None:
    await tour.send("bob", f"/kudos @alice @wei @erin {words(locale, 950)} #ownership #customer")
    await tour.send("dan", f"/kudos @erin {words(locale, 400)} #teamwork", channel="#general")
    await tour.open_home("alice")


async def feedback(tour: Tour, locale: str) -> None:
    await tour.send("bob", f"/feedback @alice {words(locale, 1950)}")
    await tour.press("alice", "feedback.thank")
    await tour.send("wei", f"/feedback @alice {words(locale, 600)} --share-with-manager")
    await tour.send("bob", f"/feedback @wei {words(locale, 300)}")
    await tour.press("bob", "feedback.share")
    await tour.send("alice", "/feedback thank 2")
    await tour.send("alice", f"/feedback reply 2 {words(locale, 990)}")
    await tour.send("bob", "/feedback share 1")
    await tour.send("alice", "/feedback list")
    await tour.send("carol", "/feedback list")


async def actions(tour: Tour, locale: str) -> None:
    title = words(locale, 260)
    await tour.send("alice", f"/action @bob {title} by 2026-11-26")
    await tour.press("bob", "action.accept")
    await tour.send("carol", f"/action @alice {title} by 2026-11-27")
    await tour.send("alice", "/action accept 2")
    await tour.send("carol", f"/action @wei {title} by 2026-12-10")
    await tour.send("alice", f"/action {title} by 2026-12-01")
    await tour.send("alice", f"/action add {title} by 2026-12-02")
    await tour.send("alice", "/action show 2")
    await tour.send("alice", "/action list")
    await tour.send("carol", "/action list team")
    await tour.send("alice", f"/action edit 2 {title}")
    await tour.send("alice", "/action snooze 2 until 2026-11-28")
    await tour.send("alice", "/action drop 4 not needed after all")
    await tour.tick(at(26, 15))  # Bob's action is due: a reminder with Done and Snooze
    await tour.press("bob", "action.snooze")
    await tour.tick(at(28, 15))
    await tour.press("alice", "action.done")
    await tour.send("bob", "/action done 1")


async def goals(tour: Tour, locale: str) -> None:
    """Issue 18: every /goal sub-command, long titles, a key result falling behind (the manager's DM)."""
    title = words(locale, 280)
    await tour.send("carol", f"/goal add {title} for team by 2027-03-31")
    await tour.send("alice", f"/goal add {title} under 1 by 2027-03-31")
    await tour.send(
        "alice", f"/goal kr 2 {words(locale, 200)} 0 -> 40 {'个客户' if locale != 'en' else 'customers'}"
    )
    await tour.send("alice", f"/goal kr 2 {words(locale, 200)}")
    await tour.send("alice", f"/goal update 2.1 12 confidence 8 {words(locale, 400)}")
    await tour.send("alice", "/goal update 2.1 13 6")
    await tour.send("alice", "/goal update 2.1 14 4")  # confidence fell twice: Carol hears of it
    await tour.send("alice", "/goal done 2.2")
    await tour.send("alice", "/goal show 2")
    await tour.send("alice", "/goal list")
    await tour.send("carol", "/goal list team")
    await tour.send("alice", f"/goal edit 2 {title}")
    await tour.send("alice", f"/goal edit 2 status at risk {words(locale, 200)}")
    await tour.send("carol", "/goal drop 1 merged into the company goal")
    await tour.send("alice", "/goal help")
    await tour.send("bob", "/goal new")
    for answer in (words(locale, 280), "help", "2027-03-31", "skip", f"{words(locale, 200)} 0 -> 40", "done"):
        await tour.send("bob", answer)
    await tour.send("carol", f"/goal next @alice {words(locale, 150)}; {words(locale, 120)}")
    await tour.press("alice", "goal.confirm")
    await tour.send("alice", "/goal confirm 4")
    await tour.send(
        "carol", f"/goal idp add @alice {words(locale, 200)}; support: {words(locale, 200)}; by 2027-02-26"
    )
    await tour.send("alice", "/goal idp list")
    await tour.send("alice", "/goal idp done 1")
    await tour.send("carol", f"/goal idp add @bob {words(locale, 100)}")
    await tour.send("bob", "/goal idp drop 2")
    await tour.send("bob", "/goal idp help")


async def checkins(tour: Tour, locale: str) -> None:
    tour.app.clock.set(at(29, 10))
    await tour.send("bob", "/checkin schedule weekly monday 09:30")
    await tour.send("alice", "/checkin schedule weekly monday 09:00")
    await tour.send("bob", "/checkin schedule")
    await tour.tick(at(30, 15))  # Monday: both prompted
    await tour.press("bob", "form:answer", option=3)
    await tour.press("bob", "form:answer", option=9)  # the ten-option question
    await tour.send("bob", words(locale, 990))
    await tour.press("bob", "form:answer", option=0)  # yes, blocked
    await tour.send("bob", words(locale, 990))
    await tour.tick(at(1, 15, month=12))  # Alice has not answered: reminded; Carol's monthly goal talk
    await tour.press("carol", "goal.talk_later")
    await tour.press("carol", "goal.talk_held")
    await tour.send("alice", "/checkin")
    await tour.send("alice", "2")
    await tour.send("alice", "back")
    await tour.send("alice", "help")
    await tour.send("alice", "cancel")
    await tour.send("bob", "/checkin")  # reopened to edit, still in its window
    await tour.send("bob", "cancel")


async def feedback_requests(tour: Tour, locale: str) -> None:
    tour.app.clock.set(at(1, 16, month=12))
    topic = words(locale, 190)
    await tour.send("alice", f'/feedback request @bob @wei @carol about "{topic}" by 2026-12-08')
    await tour.send("bob", "/feedback requests")
    await tour.send("bob", "/feedback answer 1")
    for _ in range(4):
        await tour.send("bob", words(locale, 990))
    await tour.press("wei", "feedback.request.decline")
    await tour.tick(at(7, 11, month=12))  # the working day before the deadline: Carol is reminded
    await tour.send("carol", "/feedback decline 1")
    await tour.send("dan", "/feedback request @erin @bob")
    await tour.send("erin", "/checkin")  # her check-in now: Dan's request waits its turn
    await tour.send("erin", "later")
    await tour.send("erin", "switch")
    await tour.send("dan", "/feedback requests")
    await tour.tick(at(9, 15, month=12))  # closed
    await tour.tick(at(20, 15, month=12))  # Erin's forms close, the waiting one said to be closed


async def presence(tour: Tour, locale: str) -> None:
    tour.app.clock.set(at(21, 9, month=12))
    for line in ("/rapport mute", "/rapport unmute", "/rapport away until 2026-12-28", "/rapport back"):
        await tour.send("bob", line)
    for line in ("/rapport timezone", "/rapport timezone Mars/Olympus", "/rapport timezone new york"):
        await tour.send("bob", line)  # his zone already: nothing later in the tour moves
    await tour.send("alice", "/rapport export")
    await tour.send("carol", "/rapport dashboard")


async def reviews(tour: Tour, locale: str) -> None:
    """A review from scheduling to the pulse, and one moved and one cancelled."""
    tour.app.clock.set(at(22, 9, month=12))
    await tour.send("carol", "/review schedule @alice 2027-01-08 14:00")
    await tour.send("carol", "/review schedule @bob 2027-01-20 14:00")
    await tour.send("carol", "/review move @bob 2027-01-21 15:00")
    await tour.send("carol", "/review cancel @bob")
    await tour.send("carol", "/review list")
    await tour.tick(at(3, 14, month=1, year=2027))  # five days before: her self-review
    await tour.tick(at(4, 10, month=1, year=2027))  # not written by the next morning: a nudge
    for _ in range(9):
        await tour.send("alice", words(locale, 1900))
    await tour.tick(at(5, 14, month=1, year=2027))  # three days before: the digest
    await tour.send("carol", "/review read @alice")
    await tour.send("carol", f"/review example @alice {words(locale, 400)}")
    await tour.send("carol", "/review questions @alice")
    await tour.send("carol", "/review digest @alice")
    await tour.send("carol", "/review draft @alice")
    for _ in range(3):
        await tour.send("carol", words(locale, 1900))
    await tour.send("bob", "/review self")
    await tour.tick(at(8, 13, month=1, year=2027))  # an hour before
    tour.app.clock.set(at(8, 15, month=1, year=2027))
    await tour.send("carol", "/review notes @alice")
    for _ in range(4):
        await tour.send("carol", words(locale, 1900))
    for _ in range(2):  # nothing carried into the next period
        await tour.send("carol", "skip")
    title = words(locale, 200)
    await tour.send("carol", f"@alice {title} by 2027-02-01; @carol {title} by 2027-02-15")
    await tour.send("carol", words(locale, 1900))
    await tour.press("alice", "review:comment")
    await tour.press("alice", "review:confirm")
    await tour.send("alice", "/review confirm")
    await tour.send("alice", "/review comment I'd add the onboarding guide")
    await tour.send("carol", "/review amend @alice")  # the record again, one part rewritten
    await tour.send("carol", words(locale, 1900))
    for _ in range(7):
        await tour.send("carol", "skip")
    await tour.send("alice", "/review confirm")
    await tour.tick(at(9, 15, month=1, year=2027))  # the pulse
    await tour.press("alice", "review:answer", option=0)
    await tour.send("alice", "no")
    await tour.send("alice", "4")
    await tour.send("carol", "/review pulse")
    await tour.send("alice", "/review history")
    await tour.send("carol", "/review history @alice")
    await tour.open_home("carol")


async def mistakes(tour: Tour, locale: str) -> None:
    for line in (
        "/frobnicate now",
        "/kudos @nobody thanks",
        "/action done 999",
        "/review schedule @alice yesterday",
    ):
        await tour.send("alice", line)
    await tour.send("alice", "/checkin schedule on blursday")
    await tour.tick(at(20, 15, month=1, year=2027) + timedelta(days=1))


async def unreached(tour: Tour, locale: str) -> None:
    """What no command shows yet but the core can say: a manager's team overview (the App Home's
    coming section), and a pick-one question of ten options outside a form (`Choices`)."""
    async with tour.app.db.read() as session:
        carol = await people.by_handle(session, org_id=tour.org_id, handle="carol")
        t = tour.app.catalogue.messages(locale)
        overview = await team_overview(
            session, org_id=tour.org_id, manager=carol, t=t, now=tour.app.clock.now()
        )
    options = tuple(Option(label=words(locale, 70), value=str(n)) for n in range(1, 11))
    pick = Reply(
        parts=(Text(text=words(locale, 200)), Choices(action_id="form:answer", options=options, submit="OK"))
    )
    tour.said += [
        Said(label="home: team overview", kind="home", reply=overview),
        Said(label="dm: a pick of ten", kind="dm", reply=pick),
    ]


async def due_kinds_done(app: App) -> set[str]:
    """The kinds of scheduled work that ran."""
    async with app.db.read() as session:
        return set(await session.scalars(select(DueWork.kind).where(DueWork.status == "done")))
