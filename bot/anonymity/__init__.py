"""What Rapport promises about anonymous answers and aggregate figures, and the rules that keep it.

Everything shown as anonymous or as an aggregate goes through this package, so that a new feature
cannot show a figure its own way:

- `batches`: aggregates of individual answers (the post-review pulse, anonymous feedback requests)
  move only in closed batches. Answers are held when they arrive; a new figure (or a new batch of
  answers) is shown only once at least the threshold of new answers is in, all together. So the
  difference between two figures anyone sees covers at least the threshold of answers, never one.
  Which answers have been released is stored with them (data, not memory), so a restart changes
  nothing. An answer whose writer was erased never counts towards a threshold, and a batch already
  seen is never shown again with one answer missing (which would say whose it was).
- `suppression`: HR figures (the report, the dashboard, their CSV) hide a figure about fewer than
  the threshold of people, and hide enough other figures, across every view of the organisation
  and every period that contains another, that no hidden figure can be worked out by subtraction.

The threshold is the organisation's `feedback_anonymity_threshold`: 3 unless raised, never lower.

What no threshold can prevent, and the README says so: if everyone else in a batch or group tells
the reader what they answered (or the reader is all of them), the last answer is theirs to work
out; an aggregate where everyone answered alike ("100% said yes") says what each of them answered.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store import feedback_requests
from store.models import Organisation

MIN_THRESHOLD = 3


def threshold_of(org: Organisation) -> int:
    """The organisation's anonymity threshold: its own setting, never below MIN_THRESHOLD."""
    return max(org.feedback_anonymity_threshold or MIN_THRESHOLD, MIN_THRESHOLD)


async def set_threshold(session: AsyncSession, *, org_id: int, threshold: int) -> None:
    """Raise (or lower, down to MIN_THRESHOLD) the organisation's threshold; it applies to what is
    released from now on (a feedback request keeps the threshold it was made with).

    Raises:
        ValueError: below MIN_THRESHOLD, which would let a small group's answers be told apart.
    """
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"the anonymity threshold is at least {MIN_THRESHOLD}")
    await feedback_requests.set_anonymity_threshold(session, org_id=org_id, threshold=threshold)
