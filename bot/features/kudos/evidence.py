"""What kudos add to a review's evidence: those the employee received in the period, each dated by
the day where its giver was, with its company values (kudos are public: no access rule applies)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.evidence import Period, dated
from store import review_evidence


async def gather(period: Period) -> Mapping[str, Any]:
    found = await review_evidence.kudos_received(period.session, **period.written_to_employee())
    return {
        "kudos": [
            dated(
                k.created_at,
                period.zone_of(giver),
                text=k.message,
                value=list(k.company_values),
                who=giver.display_name,
            )
            for k, giver in found
        ]
    }
