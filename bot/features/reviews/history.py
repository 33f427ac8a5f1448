"""`/review history [@alice]` and `/review pulse [@manager]`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_meeting_record, can_view_pulse, can_view_review_history
from bot.anonymity import threshold_of
from bot.dates import format_day
from bot.errors import UserError
from bot.features.reviews.common import audit_view, named
from bot.features.reviews.evidence import subject
from bot.features.reviews.forms import PULSE_FORM
from bot.forms import queue
from bot.replies import Reply, Text
from bot.turn import Turn
from bot.workdays import person_zone
from store import forms, people, review_records, roles
from store.models import Person
from store.review_records import PulseSummary


async def history(turn: Turn, text: str) -> Reply:
    """Past reviews: content for the two people in them, dates and completeness for HR."""
    t, session, org_id = turn.t, turn.session, turn.org.id
    employee, _ = await named(turn, text, usage="/review history @alice")
    employee = employee or turn.person
    is_hr = await roles.has_role(session, org_id=org_id, person_id=turn.person.id, role="hr")
    if not can_view_review_history(turn.person, employee, is_hr=is_hr):
        raise UserError("review_record.history_not_allowed", name=employee.display_name)
    past = await review_records.past_meetings(session, org_id=org_id, employee_id=employee.id)
    past = [(m, r) for m, r in past if m.status != "scheduled" or m.starts_at <= turn.clock.now()]
    lines = [t("review_record.history_title", name=employee.display_name)]
    for meeting, record in past:
        sent = await forms.by_subject(
            session, org_id=org_id, person_id=employee.id, form_key="self_review", subject=subject(meeting)
        )
        day = format_day(t, meeting.starts_at.astimezone(person_zone(turn.person, turn.org)).date())
        lines.append(
            t(
                "review_record.history_line",
                day=day,
                status=t(f"review_record.status.{meeting.status}"),
                self_review=t("review_record.yes" if sent and sent.completed_at else "review_record.no"),
                notes=t("review_record.yes" if record else "review_record.no"),
                response=t(f"review_record.response.{record.response}") if record else "—",
            )
        )
        if record is not None and can_view_meeting_record(turn.person, meeting, employee):
            lines += [f"   {t('review_digest.section.' + k)}: {v}" for k, v in record.parts.items()]
            if record.comment:
                lines.append("   " + t("review_record.her_comment", comment=record.comment))
            if record.amended_at:
                amended = format_day(
                    t, record.amended_at.astimezone(person_zone(turn.person, turn.org)).date()
                )
                lines.append("   " + t("review_record.amended_on", day=amended))
    if len(lines) == 1:
        lines.append(t("review_record.history_empty"))
    content = any(
        record is not None and can_view_meeting_record(turn.person, m, employee) for m, record in past
    )
    action = "view_record" if content else "view_history"  # HR: dates and completeness only
    await audit_view(turn, action=action, about=employee, detail={"meetings": len(past)})
    return Reply(parts=(Text(text="\n".join(lines)),), summary=lines[0])


async def pulse(turn: Turn, text: str) -> Reply:
    """A manager's pulse as an aggregate (their own, or anyone's for HR): released batches only."""
    manager, _ = await named(turn, text, usage="/review pulse @carol")
    manager = manager or turn.person
    is_hr = await roles.has_role(turn.session, org_id=turn.org.id, person_id=turn.person.id, role="hr")
    if not (is_hr or manager.id == turn.person.id):
        raise UserError("review_record.pulse_not_allowed")
    found = await visible_pulse(turn.session, viewer=turn.person, manager=manager, is_hr=is_hr)
    minimum = threshold_of(turn.org)
    if found is None:
        return await _no_pulse(turn, manager=manager, minimum=minimum)
    text = turn.t(
        "review_record.pulse",
        name=manager.display_name,
        answers=found.answers,
        room=round(100 * found.room_to_speak),
        steps=round(100 * found.next_steps),
        useful=f"{found.useful:.1f}",
        min=minimum,
    )
    return Reply.text(text)


async def _no_pulse(turn: Turn, *, manager: Person, minimum: int) -> Reply:
    """Why there are no figures: too few answers yet, or nobody reports to them (then, for someone
    asking about their own, a pointer to the pulse they were asked to answer, if one is open)."""
    t = turn.t
    if await people.reports_of(turn.session, org_id=turn.org.id, manager_id=manager.id):
        return Reply.text(t("review_record.pulse_too_few", name=manager.display_name, min=minimum))
    if manager.id != turn.person.id:
        return Reply.text(t("review_record.pulse_no_reports_other", name=manager.display_name))
    lines = [t("review_record.pulse_no_reports")]
    live = await forms.live_for(turn.session, org_id=turn.org.id, person_id=turn.person.id)
    if own := next((row for row in live if row.form_key == PULSE_FORM), None):
        lines.append(t("review_record.pulse_own_open", until=queue.until(t, own, turn.zone_for(turn.person))))
    return Reply.text(" ".join(lines))


async def visible_pulse(
    session: AsyncSession, *, viewer: Person, manager: Person, is_hr: bool
) -> PulseSummary | None:
    """A manager's pulse as `viewer` may see it (`/review pulse`, the manager's export): the aggregate,
    or None before its first batch is released (`bot.anonymity.batches`)."""
    found = await review_records.pulse_summary(session, org_id=manager.org_id, manager_id=manager.id)
    if found is None or not can_view_pulse(viewer, manager, is_hr=is_hr, released=found.batches):
        return None
    return found
