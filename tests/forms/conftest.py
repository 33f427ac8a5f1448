"""Alice with six forms that can reach her DM: her check-in, her self-review and pulse (Carol's report),
a feedback request from Bob, and the record and draft of Erin's review (Erin reports to her)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.features.checkins import cycle
from bot.features.reviews import timing
from store import due_work, people, reviews, schedules
from store.checkin_models import FormSession
from tests.support import Chat


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One form as Alice meets it.

    Attributes:
        label: what the replies to its answers begin with.
        first: words of its first question.
        answer / stored / question: a typed answer to that question, as stored, under that id.
        asked: opened by her own command (it comes forward) rather than coming due (it waits).
        action / option / option_stored: for a question with buttons, the action id, one
            option's value and how it is stored.
    """

    key: str
    label: str
    first: str
    answer: str
    stored: object
    question: str
    asked: bool = False
    action: str | None = None
    option: str | None = None
    option_stored: object = None


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            key="checkin",
            label="Check-in",
            first="(1/7) How was your week",
            answer="4",
            stored=4,
            question="mood",
            action="form:answer",
            option="2",
            option_stored=2,
        ),
        Kind(
            key="self_review",
            label="Self-review",
            first="What did you achieve against your goals",
            answer="Shipped the importer",
            stored="Shipped the importer",
            question="achievements",
        ),
        Kind(
            key="review_pulse",
            label="Review pulse",
            first="Did you have enough room to speak",
            answer="yes",
            stored="yes",
            question="room",
            action="review:answer",
            option="no",
            option_stored="no",
        ),
        Kind(
            key="feedback_request",
            label="Feedback request",
            first="(1/4) What situation are you thinking of?",
            answer="The sprint review",
            stored="The sprint review",
            question="situation",
        ),
        Kind(
            key="review_notes",
            label="Meeting record",
            first="Goals and results",
            answer="Agreed on the Q1 goals",
            stored="Agreed on the Q1 goals",
            question="goals",
            asked=True,
        ),
        Kind(
            key="review_draft",
            label="Evaluation draft",
            first="What were the main strengths",
            answer="Clear writing",
            stored="Clear writing",
            question="strengths",
            asked=True,
        ),
    )
}


@dataclass
class Inbox:
    """Alice's DM, and the ways each form reaches it as in real use."""

    chat: Chat
    app: object
    org_id: int
    alice_id: int
    pulse_meeting: int  # held yesterday with Carol: its pulse is due
    own_meeting: int  # her next review with Carol: its self-review
    erins_meeting: int  # Erin's review, which Alice leads: its record and her draft

    async def due(self, kind: str, subject: int) -> None:
        """Work of `kind` comes due now, and the scheduler runs it."""
        now = self.app.clock.now()
        async with self.app.db.transaction() as session:
            await due_work.add_due(
                session, org_id=self.org_id, kind=kind, subject=subject, run_at=now, now=now
            )
        await self.chat.tick(now)

    async def arrive(self, key: str) -> str:
        """Form `key` reaches Alice; what she sees of it (a DM, or the reply to her command)."""
        if key == "checkin":
            await self.due(cycle.PROMPT, self.alice_id)
        elif key == "self_review":
            await self.due(timing.SELF_REVIEW, self.own_meeting)
        elif key == "review_pulse":
            await self.due(timing.PULSE, self.pulse_meeting)
        elif key == "feedback_request":
            await self.chat.send("bob", "/feedback request @alice")
        else:
            command = "notes" if key == "review_notes" else "draft"
            return await self.chat.send("alice", f"/review {command} @erin")
        return self.chat.dms("alice")[-1]

    async def session(self, key: str) -> FormSession:
        async with self.app.db.read() as session:
            return await session.scalar(
                select(FormSession).where(FormSession.person_id == self.alice_id, FormSession.form_key == key)
            )

    async def press(self, key: str, option: str) -> str:
        """Press `option` on the question of Alice's form `key` that she was shown."""
        row = await self.session(key)
        kind = KINDS[key]
        return await self.chat.press("alice", action_id=kind.action, value=f"{row.id}:{row.step}/{option}")


@pytest.fixture
async def inbox(chat, app, org) -> Inbox:
    now = app.clock.now()
    async with app.db.transaction() as session:
        by_handle = {p.handle: p for p in await people.all_in_org(session, org_id=org.id)}
        alice, carol, erin = by_handle["alice"], by_handle["carol"], by_handle["erin"]
        erin.manager_id = alice.id
        meetings = []
        for employee, manager, starts_at in (
            (alice, carol, now - timedelta(days=1)),
            (alice, carol, now + timedelta(days=10)),
            (erin, alice, now + timedelta(days=10)),
        ):
            meeting = await reviews.create(
                session,
                org_id=org.id,
                employee_id=employee.id,
                manager_id=manager.id,
                scheduled_by_id=manager.id,
                starts_at=starts_at,
                minutes=45,
                now=now - timedelta(days=14),
            )
            meetings.append(meeting.id)
            if starts_at < now:
                meeting.status = "held"
        await schedules.set_schedule(
            session,
            org_id=org.id,
            person_id=alice.id,
            cadence="weekly",
            weekday=now.weekday(),
            hour=10,
            minute=0,
            anchor=now.date(),
            set_by="person",
            now=now,
        )
    held, own, erins = meetings
    return Inbox(
        chat=chat,
        app=app,
        org_id=org.id,
        alice_id=alice.id,
        pulse_meeting=held,
        own_meeting=own,
        erins_meeting=erins,
    )
