"""What the features propose under the questions of the meeting's record (issue 18): under "Goals and
results", her objectives of the period and their state; under "Development and support", her open
development goals. Gathered for the manager writing the record, from the evidence the features
registered with `record=True` (`router.evidence`), for the meeting's period, and only while he may read
her digest (`bot.access.can_view_digest`): the record is the meeting's manager's."""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.access import can_view_digest
from bot.evidence import Period, Source
from bot.features.reviews.evidence import period_start
from bot.forms.session import Audience
from bot.numbers import as_id
from store import people, review_records
from store.checkin_models import FormSession
from store.models import Organisation

PROPOSED = ("goals", "development")


async def proposals(
    to: Audience, *, row: FormSession, question_id: str, sources: Mapping[str, Source]
) -> list[str]:
    """The lines shown under the record's question `question_id` (none under most)."""
    meeting_id = as_id(row.subject.removeprefix("review:"))
    if question_id not in PROPOSED or not meeting_id:
        return []
    session = to.session
    meeting = await review_records.meeting(session, org_id=row.org_id, meeting_id=meeting_id)
    employee = meeting and await people.by_id(session, org_id=row.org_id, person_id=meeting.employee_id)
    if meeting is None or employee is None or not can_view_digest(to.person, meeting, employee):
        return []
    org = await session.get(Organisation, meeting.org_id)
    assert org is not None
    since, previous = await period_start(session, meeting=meeting)
    tz = ZoneInfo(to.timezone)
    period = Period(
        session=session,
        org=org,
        meeting=meeting,
        employee=employee,
        reader=to.person,
        since=since,
        until=max(to.now, since),
        now=to.now,
        tz=tz,
        previous=previous,
    )
    today, lines = to.now.astimezone(tz).date(), []
    for source in sources.values():
        if source.record:
            for piece in (await source.gather(period)).values():
                lines += piece.proposals(to.t, today=today, part=question_id)
    return lines
