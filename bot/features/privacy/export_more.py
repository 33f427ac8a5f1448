"""The export's parts beyond what people typed as commands: forms, feedback requests, meeting records,
the pulse, presence, sign-ins, messages and the audit trail (see `bot.features.privacy.export`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.checkins.cycle import FORM_KEY as CHECKIN_FORM
from bot.features.feedback.request_common import FORM_KEY as FEEDBACK_FORM
from bot.features.feedback.request_release import held, released
from bot.features.reviews.evidence import SELF_REVIEW_FORM
from bot.features.reviews.forms import PULSE_FORM
from bot.features.reviews.history import visible_pulse
from store import feedback_requests, personal_data, presence, roles, schedules
from store.checkin_models import FormSession
from store.feedback_request_models import FeedbackAsk, FeedbackRequest
from store.models import Person
from store.review_models import ReviewMeeting
from store.review_record_models import ReviewRecord

Names = dict[int, str]


def at(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row of values as JSON: times as ISO text, and no empty fields."""
    return {k: at(v) if isinstance(v, datetime | date) else v for k, v in row.items() if v is not None}


async def gather_more(session: AsyncSession, *, org_id: int, person: Person, names: Names) -> dict[str, Any]:
    forms = await personal_data.form_sessions(session, org_id=org_id, person_id=person.id)
    asked = await personal_data.asks_received(session, org_id=org_id, person_id=person.id)
    answering = {ask.session_id for ask, _ in asked}
    return {
        **await _presence(session, org_id=org_id, person=person),
        **_forms(forms, answering=answering),
        "pulse_answers": await _pulse_answers(session, forms, names=names),
        "feedback_requests": await _requests(session, org_id=org_id, person=person, names=names),
        "feedback_asked_of_you": _asked(asked, {f.id: f for f in forms}, names=names),
        "review_records": await _records(session, org_id=org_id, person=person, names=names),
        "review_pulse": await _pulse(session, org_id=org_id, person=person),
        "messages_to_you": [
            {
                "at": at(m.created_at),
                "status": m.status,
                "sent_at": at(m.sent_at),
                "text": m.payload.get("summary"),
            }
            for m in await personal_data.messages_to(session, org_id=org_id, person_id=person.id)
        ],
        "audit": [
            {"at": at(e.created_at), "who": e.actor_label, "did": e.action, "about": names.get(e.subject_id)}
            for e in await personal_data.audit_of(session, org_id=org_id, person_id=person.id)
        ],
    }


async def _presence(session: AsyncSession, *, org_id: int, person: Person) -> dict[str, Any]:
    away = await presence.availability(session, org_id=org_id, person_id=person.id)
    schedule = await schedules.schedule_of(session, org_id=org_id, person_id=person.id)
    given = await personal_data.daily_given(session, org_id=org_id, person_id=person.id)
    return {
        "availability": away and plain({"muted_until": away.muted_until, "away_until": away.away_until}),
        "checkin_schedule": schedule
        and plain(
            {
                "cadence": schedule.cadence,
                "weekday": schedule.weekday,
                "at": f"{schedule.hour:02d}:{schedule.minute:02d}",
            }
        ),
        "dashboard_sign_ins": [
            plain({"at": s.created_at, "expires_at": s.expires_at, "used_at": getattr(s, "used_at", None)})
            for s in await personal_data.sign_ins(session, org_id=org_id, person_id=person.id)
        ],
        "given_on_latest_day": given and {"day": at(given.day), "kudos_and_feedback": given.given},
    }


def _form(row: FormSession) -> dict[str, Any]:
    return {
        "form": row.form_key,
        "for": row.subject,
        "status": row.status,
        "answers": row.answers,
        "at": at(row.created_at),
    }


def _forms(forms: list[FormSession], *, answering: set[int | None]) -> dict[str, list]:
    """Check-ins, self-reviews, and every other form but pulses and feedback answers (their own parts)."""
    own = {CHECKIN_FORM: "checkins", SELF_REVIEW_FORM: "self_reviews"}
    out: dict[str, list] = {"checkins": [], "self_reviews": [], "other_forms": []}
    for row in forms:
        if row.form_key not in (PULSE_FORM, FEEDBACK_FORM) and row.id not in answering:
            out[own.get(row.form_key, "other_forms")].append(_form(row))
    return out


async def _pulse_answers(session: AsyncSession, forms: list[FormSession], *, names: Names) -> list[dict]:
    """Her pulse after each review: a finished one is kept only as an anonymous count for the manager's
    figures, without her answers (there is nothing of hers left to show)."""
    out = []
    for row in forms:
        if row.form_key == PULSE_FORM:
            meeting = await _meeting_of(session, row)
            out.append(
                {
                    **_form(row),
                    "about_review_with": names.get(meeting.manager_id) if meeting else None,
                    "kept_only_as_an_anonymous_count": row.status == "done",
                }
            )
    return out


async def _meeting_of(session: AsyncSession, row: FormSession) -> ReviewMeeting | None:
    meeting_id = row.subject.removeprefix("review:")
    if not meeting_id.isdigit():
        return None
    return await session.get(ReviewMeeting, int(meeting_id))


async def _requests(session: AsyncSession, *, org_id: int, person: Person, names: Names) -> list[dict]:
    """Her feedback requests with the answers she received: a named request's with each giver's name;
    an anonymous request's as released to her, in batches, without names, and, once it has closed, how
    many were held back."""
    out = []
    for request, asks in await personal_data.requests_made(session, org_id=org_id, person_id=person.id):
        shown = released(asks) if request.anonymous else [a for a in asks if a.status == "answered"]
        answers = await feedback_requests.answers(session, org_id=org_id, asks=shown)
        entry = _request(request) | {"asked": len(asks)}
        if request.anonymous:
            entry["answers"] = [{"batch": a.batch, "answers": answers.get(a.id, {})} for a in shown]
            if request.status == "closed":  # while open, a count that moves with each person is shown nowhere
                entry["answers_held_back"] = len(held(asks))
        else:
            entry["answers"] = [
                {"from": names.get(a.respondent_id), "answers": answers.get(a.id, {})} for a in shown
            ]
            entry["declined_by"] = [names.get(a.respondent_id) for a in asks if a.status == "declined"]
        out.append(entry)
    return out


def _request(request: FeedbackRequest) -> dict[str, Any]:
    return {
        "about": request.topic,
        "anonymous": request.anonymous,
        "status": request.status,
        "asked_at": at(request.created_at),
        "closes_at": at(request.closes_at),
    }


def _asked(
    asked: list[tuple[FeedbackAsk, FeedbackRequest]], forms: dict[int, FormSession], *, names: Names
) -> list:
    """What she was asked for feedback, and what she answered."""
    return [
        _request(request)
        | {
            "requested_by": names.get(request.requester_id),
            "your_status": ask.status,
            "your_answers": forms[ask.session_id].answers if ask.session_id in forms else {},
        }
        for ask, request in asked
    ]


async def _records(session: AsyncSession, *, org_id: int, person: Person, names: Names) -> list[dict]:
    """The records of her reviews (and of those she held as the manager), with the agreed actions, her
    comment and every earlier version; a manager's own preparation in the manager's export only."""
    meetings = await personal_data.reviews(session, org_id=org_id, person_id=person.id)
    found, preps, agreed = await personal_data.records(
        session, org_id=org_id, meeting_ids=[m.id for m in meetings]
    )
    out = []
    for meeting in meetings:
        record, prep = found.get(meeting.id), preps.get(meeting.id)
        is_manager = meeting.manager_id == person.id
        if record is None and not (is_manager and prep):
            continue
        entry: dict[str, Any] = {
            "role": "manager" if is_manager else "employee",
            "with": names.get(meeting.employee_id if is_manager else meeting.manager_id),
            "meeting_at": at(meeting.starts_at),
        }
        if record is not None:
            entry |= _record(record, agreed.get(meeting.id, []), names=names)
        if is_manager and prep is not None:
            entry["your_preparation"] = plain(
                {
                    "examples": prep.examples,
                    "questions": prep.questions,
                    "self_review_read_at": prep.self_review_read_at,
                }
            )
        out.append(entry)
    return out


def _record(record: ReviewRecord, agreed: list, *, names: Names) -> dict[str, Any]:
    return {
        "parts": record.parts,
        "support": record.support,
        "agreed_actions": [
            {"owner": names.get(a.owner_id), "title": a.title, "due_on": at(a.due_on), "status": a.status}
            for a in agreed
        ],
        "fewer_actions_because": record.actions_reason,
        "employee_response": record.response,
        "employee_comment": record.comment,
        "responded_at": at(record.responded_at),
        "recorded_at": at(record.created_at),
        "amended_at": at(record.amended_at),
        "earlier_versions": [_version(version, names=names) for version in record.history],
    }


def _version(version: dict[str, Any], *, names: Names) -> dict[str, Any]:
    """An earlier version of a record, its actions' owners by name."""
    actions = [
        {"owner": names.get(a.get("owner_id")), **{k: v for k, v in a.items() if k != "owner_id"}}
        for a in version.get("actions", [])
    ]
    return {**version, "actions": actions}


async def _pulse(session: AsyncSession, *, org_id: int, person: Person) -> dict[str, Any]:
    """A manager's pulse: the aggregate, as `/review pulse` shows it to them; nothing while too few."""
    is_hr = await roles.has_role(session, org_id=org_id, person_id=person.id, role="hr")
    found = await visible_pulse(session, viewer=person, manager=person, is_hr=is_hr)
    if found is None:
        return {"shown": False}
    return {
        "shown": True,
        "answers": found.answers,
        "room_to_speak": found.room_to_speak,
        "next_steps": found.next_steps,
        "useful": found.useful,
    }
