"""What check-ins add to a review's evidence: the moods, priorities, what went well, what was hard,
the blockers and the support asked of the manager, over the period.

Dated by the day where the writer was (a check-in written at 00:10 in Shanghai is of 12 December for
the manager in London too); only the check-ins the reader may see (`bot.access.can_view_checkin`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from bot.access import can_view_checkin
from bot.answers import says_something
from bot.evidence import Dated, Period
from bot.features.checkins.cycle import FORM_KEY
from store import review_evidence

# The answers quoted as evidence, by the name of the piece they go to.
QUOTED = (
    ("priorities", "priorities"),
    ("went_well", "went_well"),
    ("hard", "hard"),
    ("for_manager", "support"),
)


async def gather(period: Period) -> Mapping[str, Any]:
    """The employee's finished check-ins of the period that the reader may see, as dated pieces."""
    checkins = await review_evidence.finished_forms(
        period.session, form_key=FORM_KEY, **period.written_to_employee()
    )
    reader, employee = period.reader, period.employee
    seen = [c for c in checkins if can_view_checkin(reader, employee, written_at=c.completed_at)]
    return pieces(seen, period.zone_of(employee))


def pieces(rows: list, tz: ZoneInfo) -> dict[str, list[Dated]]:
    """Each check-in's answers, dated in `tz`, sorted into the pieces of the evidence."""
    out: dict[str, list[Dated]] = {
        "moods": [],
        "priorities": [],
        "went_well": [],
        "hard": [],
        "blockers": [],
        "support": [],
    }
    for row in rows:
        answers, day = row.answers, row.completed_at.astimezone(tz).date()
        if isinstance(answers.get("mood"), int):
            out["moods"].append(Dated(day=day, value=answers["mood"]))
        for key, name in QUOTED:
            if says_something(answers.get(key)):
                out[name].append(Dated(day=day, text=str(answers[key])))
        if answers.get("blocked") == "yes" and says_something(answers.get("blocker")):
            out["blockers"].append(Dated(day=day, text=str(answers["blocker"])))
    return out
