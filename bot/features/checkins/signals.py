"""What a check-in tells a manager: a blocker at once (as soon as it is typed), and that it is withdrawn
when the finished check-in no longer says so; a run of low moods for the review (when the check-in is
finished)."""

from __future__ import annotations

from bot.access import can_view_signals
from bot.features.checkins.cycle import FORM_KEY
from bot.replies import Reply
from bot.turn import Turn
from store import forms, people, signals
from store.checkin_models import FormSession
from store.models import Person

LOW_MOOD = 2


async def escalate_blocker(turn: Turn, row: FormSession) -> list[str]:
    """Once the person has said what blocks them, tell their manager (once per check-in, even when
    it is edited) and return what to tell the person about it. Runs after every answer, so the
    manager hears at once, not when the last question is answered."""
    answers = row.answers
    if not (answers.get("blocked") == "yes" and answers.get("blocker")):
        return []
    if "blocked" in {s.kind for s in await _for_subject(turn, row)}:
        return []
    told = await _escalate(turn, row, blocker=str(answers["blocker"]))
    return [turn.t("checkins.told_manager", manager=told)] if told else []


async def withdraw_blocker(turn: Turn, row: FormSession) -> list[str]:
    """A finished check-in that no longer says the person is blocked (they went back, or edited it)
    withdraws the blocker raised earlier: it leaves the review's evidence, and the manager who was told
    hears that it is over. Returns what to tell the person about it."""
    if row.answers.get("blocked") == "yes":
        return []
    raised = [s for s in await _for_subject(turn, row) if s.kind == "blocked"]
    if not raised:
        return []
    await signals.remove(turn.session, org_id=turn.org.id, signal_ids=[s.id for s in raised])
    manager = await _manager_to_tell(turn, raised_at=raised[-1].created_at)
    if manager is None:
        return []
    blocker = str(raised[-1].detail.get("blocker", ""))
    text = turn.messages_for(manager)(
        "checkins.manager_unblocked", name=turn.person.display_name, blocker=blocker
    )
    await turn.send_dm(to=manager, reply=Reply.text(text))
    return [turn.t("checkins.told_manager_unblocked", manager=manager.display_name)]


async def raise_signals(turn: Turn, row: FormSession) -> list[str]:
    """Record the finished check-in's signals (once per check-in, even when it is edited), withdraw a
    blocker it no longer names, and return what to tell the person about it."""
    lines = await escalate_blocker(turn, row) + await withdraw_blocker(turn, row)
    existing = {s.kind for s in await _for_subject(turn, row)}
    if "low_mood" not in existing and await _low_twice(turn, row):
        await signals.record(
            turn.session,
            org_id=turn.org.id,
            person_id=row.person_id,
            kind="low_mood",
            subject=row.subject,
            detail={"moods": await _recent_moods(turn, row)},
            now=turn.clock.now(),
        )
    return lines


async def _for_subject(turn: Turn, row: FormSession):
    found = await signals.for_person(turn.session, org_id=turn.org.id, person_id=row.person_id)
    return [s for s in found if s.subject == row.subject]


async def _escalate(turn: Turn, row: FormSession, *, blocker: str) -> str | None:
    """DM the manager with the blocker; the manager's name, or None when there is nobody to tell."""
    await signals.record(
        turn.session,
        org_id=turn.org.id,
        person_id=row.person_id,
        kind="blocked",
        subject=row.subject,
        detail={"blocker": blocker},
        now=turn.clock.now(),
    )
    manager = await _manager_to_tell(turn, raised_at=turn.clock.now())
    if manager is None:
        return None
    text = turn.messages_for(manager)(
        "checkins.manager_blocked", name=turn.person.display_name, blocker=blocker
    )
    await turn.send_dm(to=manager, reply=Reply.text(text))
    return manager.display_name


async def _manager_to_tell(turn: Turn, *, raised_at) -> Person | None:
    """The person's manager, when there is one who may see a signal raised then (a manager who took
    over since never heard of it, so is not told it is over)."""
    person = turn.person
    if person.manager_id is None:
        return None
    manager = await people.by_id(turn.session, org_id=turn.org.id, person_id=person.manager_id)
    return manager if manager is not None and can_view_signals(manager, person, raised_at=raised_at) else None


async def _recent_moods(turn: Turn, row: FormSession) -> list[int]:
    done = await forms.finished(
        turn.session, org_id=turn.org.id, person_id=row.person_id, form_key=FORM_KEY, limit=3
    )
    others = [s for s in done if s.id != row.id]
    moods = [row.answers.get("mood"), *(s.answers.get("mood") for s in others[:1])]
    return [m for m in moods if isinstance(m, int)]


async def _low_twice(turn: Turn, row: FormSession) -> bool:
    moods = await _recent_moods(turn, row)
    return len(moods) == 2 and all(m <= LOW_MOOD for m in moods)
