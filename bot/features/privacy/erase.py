"""Erasure of a person (an administrator's act) and the retention of check-in answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_day
from bot.features.checkins import cycle
from bot.i18n import Catalogue
from bot.messaging import Mailing
from bot.replies import Reply
from store import actions, audit, due_work, erasure, orgs, people
from store.models import Person

ERASED = "erased"  # the reason recorded on the actions an erased person still had open


async def erase_person(
    session: AsyncSession,
    *,
    org_id: int,
    person_id: int,
    now: datetime,
    actor_label: str,
    catalogue: Catalogue | None = None,
) -> bool:
    """Remove the person's personal content everywhere, keeping anonymous counts; audited.

    Their open actions are dropped (reason "erased"): nobody is left to do them or to remind, and
    they no longer count as overdue. Whoever set one of them for the person is told once.

    Returns False when they were erased already (nothing changes the second time).
    """
    person = await people.by_id(session, org_id=org_id, person_id=person_id)
    if person is None or person.erased_at is not None:
        return False
    await due_work.cancel_pending(session, org_id=org_id, kind=cycle.PROMPT, subject=person_id, now=now)
    await erasure.erase(session, org_id=org_id, person_id=person_id, now=now)
    await _drop_open_actions(
        session, org_id=org_id, person=person, now=now, catalogue=catalogue or Catalogue.load()
    )
    await audit.record(
        session, org_id=org_id, action="erasure", now=now, actor_label=actor_label, subject_id=person_id
    )
    return True


async def _drop_open_actions(
    session: AsyncSession, *, org_id: int, person: Person, now: datetime, catalogue: Catalogue
) -> None:
    """Drop the erased person's open actions, and tell each other creator once which were dropped
    (by number and due date: the message must not carry the erased person's name or words)."""
    dropped: dict[int, list] = {}
    for action, _ in await actions.owned_by(session, org_id=org_id, owner_ids=[person.id]):
        action.status, action.closed_at = "dropped", now
        await actions.record(
            session, org_id=org_id, action=action, actor_id=None, kind="dropped", now=now,
            detail={"reason": ERASED},
        )  # fmt: skip
        if action.creator_id != person.id:
            dropped.setdefault(action.creator_id, []).append(action)
    mail = Mailing(session=session, org=await orgs.by_id(session, org_id), catalogue=catalogue, now=now)
    for creator_id, theirs in dropped.items():
        creator = await people.by_id(session, org_id=org_id, person_id=creator_id)
        if creator is None or creator.erased_at is not None:
            continue
        t = mail.messages_for(creator)
        items = t.join(
            t("privacy.erased_action", id=a.id, due=format_day(t, a.due_on)) if a.due_on else f"#{a.id}"
            for a in theirs
        )
        text = t("privacy.erased_actions_dm", actions=items, count=len(theirs))
        await mail.send_dm(to=creator, reply=Reply.text(text))
    await mail.flush()
