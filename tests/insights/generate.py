"""A generated organisation with known answers: every row written is also noted in a ledger of plain
facts, from which the tests work out the expected figures on their own (without the SQL)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from store import orgs, people
from store.action_models import ActionItem
from store.checkin_models import DueWork, FormSession
from store.models import Kudos, KudosRecipient, Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewPulse, ReviewRecord
from tests.insights import generate_goals

PARTS = ("goals", "process", "lessons", "development")
# handle, department, manager handle. Engineering: Grace heads, Hal (4 reports) and Ivy (2) manage.
STAFF = [
    ("grace", "Engineering", None),
    ("hal", "Engineering", "grace"),
    ("ivy", "Engineering", "grace"),
    *((f"h{i}", "Engineering", "hal") for i in range(1, 5)),
    ("i1", "Engineering", "ivy"),
    ("i2", "Engineering", "ivy"),
    ("sam", "Sales", None),
    *((f"s{i}", "Sales", "sam") for i in range(1, 4)),
    ("lee", "Legal", None),
    ("l1", "Legal", "lee"),
    ("nora", None, None),
]


@dataclass
class Ledger:
    people: dict[str, Person] = field(default_factory=dict)
    checkins: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    pulses: list[dict] = field(default_factory=list)
    kudos: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)  # objectives, with their key results
    talks: list[dict] = field(default_factory=list)  # monthly goal conversations


def at(day: date, hours: float = 0) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC) + timedelta(hours=hours)


async def generate(app, *, slug: str, seed: int, now: datetime) -> tuple[object, Ledger]:
    """Write the organisation and its quarter (and the edges of the quarters around it)."""
    rng, ledger = random.Random(seed), Ledger()
    async with app.db.transaction() as session:
        org = await orgs.create(session, slug=slug, name=slug.title(), now=now)
        for handle, department, manager in STAFF:
            person = await people.create(
                session,
                org_id=org.id,
                display_name=handle.title(),
                email=f"{handle}@{slug}.test",
                handle=handle,
                timezone="UTC",
                locale="en",
                now=now,
            )
            person.department = department
            person.manager_id = ledger.people[manager].id if manager else None
            ledger.people[handle] = person
        await session.flush()
        for person in ledger.people.values():
            await _checkins(session, rng, ledger, org.id, person, now)
            await _actions(session, rng, ledger, org.id, person, now, source="command", ref=None)
        for person in ledger.people.values():
            if person.manager_id is not None:
                await _meetings(session, rng, ledger, org.id, person, now)
        for handle in ("grace", "hal", "ivy", "sam", "lee"):
            _pulses(session, rng, ledger, org.id, ledger.people[handle])
        await _kudos(session, rng, ledger, org.id)
        await generate_goals.goals(session, rng, ledger, org.id, now)
        generate_goals.talks(session, rng, ledger, org.id)
    return org, ledger


async def _checkins(session, rng, ledger, org_id, person, now) -> None:
    day = date(2026, 9, 21)
    while day < date(2027, 1, 8):
        if day <= now.date():
            answered = rng.random() < 0.75
            completed = at(day, 9 + rng.randint(0, 40)) if answered else None
            reminder = at(day + timedelta(days=1), 10) if rng.random() < 0.8 else None
            row = FormSession(
                org_id=org_id,
                person_id=person.id,
                form_key="checkin",
                template_version=0,
                subject=day.isoformat(),
                step=0,
                answers={"mood": 3},
                status="done" if answered else "expired",
                expires_at=at(day + timedelta(days=1), 18),
                created_at=at(day, 9),
                updated_at=at(day, 9),
                completed_at=completed,
                remind_at=reminder,  # as the check-in cycle keeps it, with the reminder's due work
            )
            session.add(row)
            await session.flush()
            if reminder:
                session.add(
                    DueWork(
                        org_id=org_id,
                        kind="checkin.reminder",
                        subject=row.id,
                        run_at=reminder,
                        status="done",
                        attempts=1,
                        next_attempt_at=reminder,
                        created_at=at(day, 9),
                    )
                )
            ledger.checkins.append(
                {"person": person, "day": day, "completed": completed, "reminder": reminder}
            )
        day += timedelta(days=7)


async def _actions(session, rng, ledger, org_id, person, now, *, source, ref, count=3, owners=None) -> int:
    for _ in range(count):
        owner = rng.choice(owners) if owners else person
        due = date(2026, 9, 15) + timedelta(days=rng.randint(0, 115)) if rng.random() > 0.1 else None
        status = rng.choice(("open", "done", "done", "dropped", "proposed"))
        closed = at(due, 12) + timedelta(days=rng.randint(-5, 5)) if status == "done" and due else None
        session.add(
            ActionItem(
                org_id=org_id,
                title="private words",
                owner_id=owner.id,
                creator_id=person.id,
                status=status,
                due_on=due,
                source=source,
                source_ref=ref,
                created_at=now,
                updated_at=now,
                closed_at=closed,
            )
        )
        ledger.actions.append({"owner": owner, "due": due, "status": status, "closed": closed, "ref": ref})
    return count


async def _meetings(session, rng, ledger, org_id, employee, now) -> None:
    manager = next(p for p in ledger.people.values() if p.id == employee.manager_id)
    for starts in (
        at(date(2026, 9, 20), 14),
        *(at(date(2026, 10, 1) + timedelta(days=rng.randint(0, 88)), 14) for _ in range(2)),
    ):
        cancelled = rng.random() < 0.15
        held = not cancelled and starts < now and rng.random() < 0.7
        status = "cancelled" if cancelled else "held" if held else "scheduled"
        meeting = ReviewMeeting(
            org_id=org_id,
            employee_id=employee.id,
            manager_id=manager.id,
            scheduled_by_id=manager.id,
            starts_at=starts,
            minutes=45,
            status=status,
            scheduled_at=starts - timedelta(days=rng.randint(1, 6)),
        )
        session.add(meeting)
        await session.flush()
        fact = {
            "employee": employee,
            "starts": starts,
            "status": status,
            "scheduled_at": meeting.scheduled_at,
        }
        fact["self_review"] = rng.random() < 0.7
        if fact["self_review"]:
            session.add(
                FormSession(
                    org_id=org_id,
                    person_id=employee.id,
                    form_key="self_review",
                    template_version=0,
                    subject=f"review:{meeting.id}",
                    step=0,
                    answers={},
                    status="done",
                    expires_at=starts,
                    created_at=starts,
                    updated_at=starts,
                    completed_at=starts - timedelta(days=1),
                )
            )
        if held:
            parts = {p: ("" if rng.random() < 0.15 else "words") for p in PARTS}
            response = rng.choice(("pending", "confirmed", "commented"))
            written = starts + timedelta(hours=rng.randint(1, 80))
            session.add(
                ReviewRecord(
                    org_id=org_id,
                    meeting_id=meeting.id,
                    author_id=manager.id,
                    parts=parts,
                    support=None,
                    response=response,
                    created_at=written,
                )
            )
            before = len(ledger.actions)
            await _actions(
                session,
                rng,
                ledger,
                org_id,
                manager,
                now,
                source="review",
                ref=str(meeting.id),
                count=rng.choice((1, 2, 3, 4)),
                owners=[employee, manager],
            )
            fact |= {
                "parts": parts,
                "response": response,
                "written": written,
                "agreed": ledger.actions[before:],
            }
        ledger.meetings.append(fact)


def _pulses(session, rng, ledger, org_id, manager) -> None:
    """Answers in week order, released as the product does: together, once three are held."""
    weeks = ["2026-W38", "2026-W41", "2026-W45", "2026-W47", "2026-W48", "2026-W50"]
    held, batch = [], 0
    for week in sorted(rng.sample(weeks, rng.randint(0, 6))):
        room, steps, useful = rng.randint(0, 1), rng.randint(0, 1), rng.randint(1, 5)
        row = ReviewPulse(
            org_id=org_id,
            manager_id=manager.id,
            room_to_speak=room,
            next_steps=steps,
            useful=useful,
            week=week,
        )
        session.add(row)
        fact = {"manager": manager, "week": week, "room": room, "steps": steps, "useful": useful}
        ledger.pulses.append(fact)
        held.append((row, fact))
        if len(held) == 3:
            batch += 1
            for row, fact in held:
                row.batch, row.released_week = batch, week
                fact["released"] = week
            held = []


async def _kudos(session, rng, ledger, org_id) -> None:
    everyone = list(ledger.people.values())
    for _ in range(60):
        giver = rng.choice(everyone)
        recipients = rng.sample([p for p in everyone if p is not giver], rng.randint(1, 2))
        created = at(date(2026, 9, 1) + timedelta(days=rng.randint(0, 120)), 11)
        kudos = Kudos(
            org_id=org_id,
            giver_id=giver.id,
            message="words",
            company_values=[],
            platform="console",
            channel_id=None,
            created_at=created,
        )
        session.add(kudos)
        await session.flush()
        for person in recipients:
            session.add(KudosRecipient(kudos_id=kudos.id, person_id=person.id, org_id=org_id))
        ledger.kudos.append({"giver": giver, "recipients": recipients, "created": created})
