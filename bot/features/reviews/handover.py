"""A review follows the reporting line: when someone's manager changes, their open review is handed to
the new manager, or closed, and all three people are told once, each in their own language.

A review still ahead is handed over: the new manager prepares, holds and records it, and gets its
digest and reminders (the scheduled work reads the meeting's manager when it runs). The old manager's
preparation notes and draft evaluation were hers, so they are deleted, and she hears no more about
it; a digest she already had is sent to the new manager at once. A review whose time has already
come but was not recorded, or one whose employee now has no manager, is closed (`cancelled`, with
the reason), so it neither blocks the next review nor waits for a record nobody may write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_when
from bot.features.reviews import timing
from bot.features.reviews.evidence import subject
from bot.features.reviews.forms import DRAFT_FORM
from bot.i18n import Catalogue
from bot.messaging import Mailing
from bot.replies import Reply
from store import due_work, forms, people, review_records, reviews
from store.models import Organisation, Person
from store.review_models import ReviewMeeting

REASON = "the employee's manager changed"


async def follow_managers(
    session: AsyncSession,
    *,
    org: Organisation,
    moves: Mapping[int, int | None],
    catalogue: Catalogue,
    now: datetime,
) -> None:
    """Hand each moved employee's open reviews to their new manager (`moves`: employee → manager)."""
    for meeting in await reviews.open_of(session, org_id=org.id, employee_ids=list(moves)):
        new_id = moves[meeting.employee_id]
        if new_id == meeting.manager_id:
            continue
        employee = await people.by_id(session, org_id=org.id, person_id=meeting.employee_id)
        old = await people.by_id(session, org_id=org.id, person_id=meeting.manager_id)
        new = await people.by_id(session, org_id=org.id, person_id=new_id) if new_id else None
        say = _Notices(mail=Mailing(session=session, org=org, catalogue=catalogue, now=now), meeting=meeting)
        if new is not None and meeting.starts_at > now:
            meeting.manager_id = new.id
            await review_records.drop_prep(session, org_id=org.id, meeting_id=meeting.id)
            await _close_old_managers_forms(session, meeting=meeting, old=old, now=now)
            await _digest_for_the_new_manager(session, meeting=meeting, now=now)
            await say.handed_over(employee=employee, old=old, new=new)
            await say.mail.flush()
            continue
        meeting.status, meeting.cancel_reason = "cancelled", REASON
        await timing.cancel(session, meeting=meeting, now=now)
        await say.closed(employee=employee, old=old, started=meeting.starts_at <= now)
        await say.mail.flush()


async def _close_old_managers_forms(
    session: AsyncSession, *, meeting: ReviewMeeting, old: Person, now: datetime
) -> None:
    """Her draft evaluation for the meeting was part of her preparation: closed, and its answers
    deleted with her notes."""
    row = await forms.by_subject(
        session, org_id=meeting.org_id, person_id=old.id, form_key=DRAFT_FORM, subject=subject(meeting)
    )
    if row is not None:
        status = "expired" if row.status in forms.LIVE else row.status
        forms.save(row, step=row.step, answers={}, status=status, now=now)


async def _digest_for_the_new_manager(
    session: AsyncSession, *, meeting: ReviewMeeting, now: datetime
) -> None:
    """The digest goes to whoever manages her when it runs; one already sent to the old manager is
    sent again, now, to the new one."""
    if not await due_work.pending(session, org_id=meeting.org_id, kind=timing.DIGEST, subject=meeting.id):
        await due_work.add_due(
            session, org_id=meeting.org_id, kind=timing.DIGEST, subject=meeting.id, run_at=now, now=now
        )


class _Notices:
    """The one-line DMs about one meeting, to each person in their own language and time zone."""

    def __init__(self, *, mail: Mailing, meeting: ReviewMeeting) -> None:
        self.mail, self.meeting = mail, meeting

    async def _send(self, to: Person | None, key: str, **params: object) -> None:
        if to is None or to.erased_at is not None:
            return
        t = self.mail.messages_for(to)
        when = format_when(t, self.meeting.starts_at, self.mail.zone_for(to))
        text = t(key, when=when, minutes=self.meeting.minutes, **params)
        await self.mail.send_dm(to=to, reply=Reply.text(text))

    async def handed_over(self, *, employee: Person, old: Person, new: Person) -> None:
        names = {"employee": employee.display_name, "old": old.display_name, "new": new.display_name}
        await self._send(employee, "review_handover.employee", **names)
        await self._send(old, "review_handover.old_manager", **names)
        await self._send(new, "review_handover.new_manager", handle=employee.handle or "", **names)

    async def closed(self, *, employee: Person, old: Person, started: bool) -> None:
        names = {"employee": employee.display_name, "old": old.display_name}
        why = "unrecorded" if started else "no_manager"
        await self._send(employee, f"review_handover.closed_{why}_employee", **names)
        await self._send(old, f"review_handover.closed_{why}_manager", **names)
