"""`/rapport export`: everything Rapport holds about the person, as a JSON file in a DM.

What others wrote about them is included only where they may see it (`bot.access`): kudos they
received, feedback given to them, the records of their reviews, the answers to their feedback
requests (an anonymous request's only as released, in batches and without names). Feedback about
someone else that was shared with them as a manager is that person's data, not theirs, and stays out,
as does a manager's private preparation for a report's review in the report's export.

`EXPORTED` names every table that holds something about a person and the parts of the export its rows
appear in; a test fails when a table with personal data is missing there, as for erasure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.access import can_view_action, can_view_feedback
from bot.features.goals import export as goal_export
from bot.features.privacy import export_more
from bot.features.privacy.export_more import at
from bot.replies import File, Reply, Text
from bot.turn import Turn
from store import audit, people, personal_data
from store.accounts import WithAccountTables
from store.models import Organisation, Person

# What a platform keeps about an account (its account tables) is in profile.accounts.
EXPORTED: Mapping[str, tuple[str, ...]] = WithAccountTables(
    {
        "person": ("profile",),
        "identity": ("profile",),  # profile.accounts
        "person_role": ("profile",),
        "availability": ("availability",),
        "checkin_schedule": ("checkin_schedule",),
        "dashboard_link": ("dashboard_sign_ins",),
        "dashboard_session": ("dashboard_sign_ins",),
        "kudos": ("kudos_given", "kudos_received"),
        "kudos_recipient": ("kudos_given", "kudos_received"),
        "feedback": ("feedback_given", "feedback_received"),
        "daily_given": ("given_on_latest_day",),
        "feedback_request": ("feedback_requests", "feedback_asked_of_you"),
        "feedback_ask": ("feedback_requests", "feedback_asked_of_you"),
        "form_session": ("checkins", "self_reviews", "pulse_answers", "feedback_asked_of_you", "other_forms"),
        "signal": ("signals",),
        "action_item": ("actions", "review_records"),
        "action_event": ("actions",),
        "review_meeting": ("reviews", "review_records"),
        "review_record": ("review_records",),
        "review_prep": ("review_records",),  # the manager's own preparation, in the manager's export
        "review_pulse": ("review_pulse",),  # a manager's pulse, as the aggregate they may see
        "outbox_message": ("messages_to_you",),
        "audit_entry": ("audit",),
        # goals (`bot.features.goals.export`)
        "goal_objective": ("goals",),
        "goal_key_result": ("goals",),
        "goal_update": ("goals",),
        "development_goal": ("development_goals",),
        "goal_conversation": ("goal_conversations",),
    },
    for_account=lambda table: ("profile",),
)


async def export_command(turn: Turn, _text: str) -> Reply:
    data = await gather(turn.session, org=turn.org, person=turn.person, now=turn.clock.now())
    await audit.record(
        turn.session,
        org_id=turn.org.id,
        action="export",
        now=turn.clock.now(),
        actor_id=turn.person.id,
        actor_label=turn.person.display_name,
        subject_id=turn.person.id,
    )
    name = f"rapport-export-{turn.person.handle or turn.person.id}-{turn.clock.now().date().isoformat()}.json"
    file = File(name=name, mime="application/json", content=json.dumps(data, ensure_ascii=False, indent=2))
    text = turn.t("privacy.export_dm")
    await turn.send_dm(to=turn.person, reply=Reply(parts=(Text(text=text), file), summary=text))
    return Reply.text(turn.t("privacy.export_sent"))


async def gather(
    session: AsyncSession, *, org: Organisation, person: Person, now: datetime
) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    names = await personal_data.names(session, org_id=org.id)
    given, received = await personal_data.kudos(session, org_id=org.id, person_id=person.id)
    return {
        "exported_at": now.isoformat(),
        "organisation": org.name,
        "profile": await _profile(session, org_id=org.id, person=person, names=names),
        "kudos_given": [_kudos(k, names, to=recipients) for k, recipients in given],
        "kudos_received": [_kudos(k, names) for k, _ in received],
        **await _feedback(session, org_id=org.id, person=person, names=names),
        "signals": [
            {"kind": s.kind, "at": at(s.created_at), "detail": s.detail}
            for s in await personal_data.signals(session, org_id=org.id, person_id=person.id)
        ],
        "actions": await _actions(session, org_id=org.id, person=person, names=names),
        "reviews": [
            {
                "role": "employee" if m.employee_id == person.id else "manager",
                "with": names.get(m.manager_id if m.employee_id == person.id else m.employee_id),
                "starts_at": at(m.starts_at),
                "minutes": m.minutes,
                "status": m.status,
            }
            for m in await personal_data.reviews(session, org_id=org.id, person_id=person.id)
        ],
        **await export_more.gather_more(session, org_id=org.id, person=person, names=names),
        **await goal_export.gather(session, org_id=org.id, person=person, names=names),  # issue 18
    }


async def _profile(session: AsyncSession, *, org_id: int, person: Person, names: dict[int, str]) -> dict:
    found = await personal_data.profile(session, org_id=org_id, person_id=person.id)
    details = await personal_data.platform_details(session, org_id=org_id, person_id=person.id)
    return {
        "name": person.display_name,
        "email": person.email,
        "handle": person.handle,
        "department": person.department,
        "manager": names.get(person.manager_id),
        "timezone": person.timezone,
        "locale": person.locale,
        "accounts": [
            {
                **account,
                **next((export_more.plain(d) for d in details if _same(d, account)), {}),
            }
            for account in found["identities"]
        ],
        "roles": found["roles"],
    }


def _same(details: dict, account: dict) -> bool:
    return (details["platform"], details["user_id"]) == (account["platform"], account["user_id"])


def _kudos(kudos, names: dict[int, str], *, to: list[int] | None = None) -> dict:
    entry = {"at": at(kudos.created_at), "message": kudos.message, "values": kudos.company_values}
    if to is None:
        entry["from"] = names.get(kudos.giver_id)
    else:
        entry["to"] = [names.get(r) for r in to]
    return entry


async def _feedback(session: AsyncSession, *, org_id: int, person: Person, names: dict[int, str]) -> dict:
    items = [
        f
        for f in await personal_data.feedback(session, org_id=org_id, person_id=person.id)
        if can_view_feedback(person, f)
    ]
    given = [
        {
            "at": at(f.created_at),
            "to": names.get(f.recipient_id),
            "text": f.text,
            "shared_with_manager": bool(f.shared_with_id),
            "reply": f.reply,
        }
        for f in items
        if f.giver_id == person.id
    ]
    received = [
        {
            "at": at(f.created_at),
            "from": names.get(f.giver_id),
            "text": f.text,
            "your_reply": f.reply,
            "thanked": bool(f.thanked_at),
        }
        for f in items
        if f.recipient_id == person.id
    ]
    return {"feedback_given": given, "feedback_received": received}


async def _actions(
    session: AsyncSession, *, org_id: int, person: Person, names: dict[int, str]
) -> list[dict]:
    owners: dict[int, Person] = {person.id: person}
    out = []
    for action, events in await personal_data.actions(session, org_id=org_id, person_id=person.id):
        if action.owner_id not in owners:
            owners[action.owner_id] = await people.by_id(session, org_id=org_id, person_id=action.owner_id)
        if not can_view_action(person, action, owners[action.owner_id]):
            continue
        out.append(
            {
                "title": action.title,
                "owner": names.get(action.owner_id),
                "created_by": names.get(action.creator_id),
                "status": action.status,
                "due_on": action.due_on.isoformat() if action.due_on else None,
                "source": action.source,
                "history": [
                    {"what": e.kind, "by": names.get(e.actor_id), "at": at(e.created_at), "detail": e.detail}
                    for e in events
                ],
            }
        )
    return out
