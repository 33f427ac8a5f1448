"""What happens when a review form is finished: the self-review, the manager's draft, the pulse."""

from __future__ import annotations

from bot.anonymity import pulse, threshold_of
from bot.forms.definition import FormDefinition
from bot.forms.render import summary
from bot.replies import Reply, Text
from bot.turn import Turn
from store import people, review_records
from store.checkin_models import FormSession


async def self_review_done(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """Thank her, read her answers back, and tell her manager it is there to read."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    manager = await people.by_id(turn.session, org_id=turn.org.id, person_id=meeting.manager_id)
    t_manager = turn.messages_for(manager)
    notice = t_manager(
        "review_forms.self.manager_notice", name=turn.person.display_name, handle=turn.person.handle or ""
    )
    await turn.send_dm(to=manager, reply=Reply.text(notice))
    lines = [
        turn.t("review_forms.self.done", manager=manager.display_name),
        *summary(turn.t, form, row.answers),
    ]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


async def draft_done(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    lines = [turn.t("review_forms.draft.done"), *summary(turn.t, form, row.answers)]
    return Reply(parts=tuple(Text(text=line) for line in lines), summary=lines[0])


async def pulse_done(turn: Turn, row: FormSession, form: FormDefinition) -> Reply:
    """Keep only an anonymous answer for the manager's aggregate, released in batches, and forget her
    own answers."""
    meeting = await review_records.meeting(turn.session, org_id=turn.org.id, meeting_id=int(row.subject[7:]))
    year, week, _ = turn.clock.now().isocalendar()
    await pulse.record_answer(
        turn.session,
        org=turn.org,
        manager_id=meeting.manager_id,
        room_to_speak=row.answers["room"] == "yes",
        next_steps=row.answers["next_steps"] == "yes",
        useful=int(row.answers["useful"]),
        week=f"{year}-W{week:02d}",
    )
    row.answers = {}
    return Reply.text(turn.t("review_forms.pulse.done", threshold=threshold_of(turn.org)))
