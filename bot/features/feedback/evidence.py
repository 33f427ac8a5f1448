"""What feedback adds to a review's evidence: the feedback the employee received in the period that
the reader may see (`bot.access.can_view_feedback`), each dated by the day where its writer was."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.access import can_view_feedback
from bot.evidence import Period, dated
from store import review_evidence


async def gather(period: Period) -> Mapping[str, Any]:
    found = await review_evidence.feedback_received(period.session, **period.written_to_employee())
    return {
        "feedback": [
            dated(f.created_at, period.zone_of(writer), text=f.text, who=writer.display_name)
            for f, writer in found
            if can_view_feedback(period.reader, f)
        ]
    }
