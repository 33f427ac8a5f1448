"""What each figure means, and which table's rule decides whether it may be shown.

Definitions (the counting itself is in `store.insights`):
- Check-ins belong to the period of their cycle day. *Response rate*: answered / asked. *On-time
  rate*: answered before the reminder was due (the last day's mid-morning), or with no reminder
  planned, / asked; an answer in the rest of the window is late.
- Reviews belong to the period they start in; cancelled ones do not count. *Held on time*: held, with
  the record written within two days of the start. *Ahead*: set at least three days before it started.
  *Self-review*: the employee completed the self-review for that meeting.
- Meeting records (reviews held in the period): *parts filled*: all four parts written; *actions
  agreed*: two or three actions, each with an owner and a due date; *answered*: the employee
  confirmed or commented; *complete*: all three.
- Actions belong to the period they are due in, grouped by owner. *Done on time*: closed as done on
  or before the due date (UTC day); *overdue*: still open and past the due date today.
- Pulse: per manager, the answers of the batches released in the period: answers are held until at
  least the threshold of new ones are in, then released together (`bot.anonymity.batches`).
- Kudos: given in the period, by the givers' group and by the recipients' group.
- Goals (`bot.insights.goal_figures`), as of today, for the cycle under way (so only in periods that
  hold today): *people with goals*: people (not erased) owning an open or done objective of the cycle;
  *key results updated*: key results (not dropped) of those objectives with an update in the last 14
  days; *on track*: those the pace reads as on track (`bot.goal_pace`). *Monthly goal conversations*:
  offered in the month (the manager's local month), by the report; *held*: the manager pressed Yes.

Which figures may be shown is `bot.anonymity.suppression`'s to say, for every view of a year at once.
Each column belongs to a *family* of figures suppressed together: a table's own, except that reviews
and their meeting records share one (a review held is a record written, so hiding one but not the
other would give it away), kudos given and received are two (drawn from givers and recipients), and
goals are two: the cycle's readings (people and their key results, today's month only) and the
monthly conversations (reports, month by month).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

Counts = Mapping[str, int]
FAMILIES = {  # family → the tables whose people it is drawn from (the first: anyone behind a figure)
    "checkins": ("checkins",),
    "reviews": ("reviews", "records"),
    "actions": ("actions",),
    "kudos_given": ("kudos_given",),
    "kudos_received": ("kudos_received",),
    "goals": ("goal_people", "goal_results"),
    "goal_talks": ("goal_talks",),
}


@dataclass(frozen=True, kw_only=True)
class Cell:
    """A figure: `value` None is "no data" (a rate of nothing); `hidden` is "too few to show"."""

    value: float | int | None = None
    hidden: bool = False


@dataclass(frozen=True, kw_only=True)
class Column:
    key: str
    value: Callable[[Counts], float | int | None]
    source: str = ""  # the table of counts it reads (and whose family hides it), when not the table's own
    rate: bool = False


def count(field: str, *, source: str = "") -> Column:
    return Column(key=field, value=lambda c: c.get(field, 0), source=source)


def rate(key: str, part: str, whole: str, *, source: str = "") -> Column:
    def value(c: Counts) -> float | None:
        return round(100 * c.get(part, 0) / c[whole], 1) if c.get(whole) else None

    return Column(key=key, value=value, source=source, rate=True)


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    key: str
    columns: tuple[Column, ...]

    def source(self, column: Column) -> str:
        """The table of counts a column reads."""
        return column.source or self.key


def family_of(source: str) -> str:
    """The family whose rule hides the figures read from a table of counts."""
    return next(family for family, tables in FAMILIES.items() if source in tables)


TABLES = (
    TableSpec(
        key="checkins",
        columns=(
            count("asked"),
            count("answered"),
            rate("response_rate", "answered", "asked"),
            count("on_time"),
            rate("on_time_rate", "on_time", "asked"),
        ),
    ),
    TableSpec(
        key="reviews",
        columns=(
            count("scheduled"),
            count("held"),
            count("held_on_time"),
            rate("held_on_time_rate", "held_on_time", "scheduled"),
            count("ahead"),
            rate("ahead_rate", "ahead", "scheduled"),
            count("self_reviews"),
            rate("self_review_rate", "self_reviews", "scheduled"),
        ),
    ),
    TableSpec(
        key="records",
        columns=(
            count("records"),
            count("parts_filled"),
            count("actions_agreed"),
            count("answered"),
            count("complete"),
            rate("complete_rate", "complete", "records"),
        ),
    ),
    TableSpec(
        key="actions",
        columns=(
            count("due"),
            count("done_on_time"),
            rate("done_on_time_rate", "done_on_time", "due"),
            count("done_late"),
            count("overdue"),
            count("dropped"),
        ),
    ),
    TableSpec(
        key="kudos",
        columns=(count("given", source="kudos_given"), count("received", source="kudos_received")),
    ),
    TableSpec(
        key="goals",
        columns=(
            count("people", source="goal_people"),
            rate("with_goals_rate", "with_goals", "people", source="goal_people"),
            count("key_results", source="goal_results"),
            rate("updated_rate", "updated", "key_results", source="goal_results"),
            rate("on_track_rate", "on_track", "key_results", source="goal_results"),
            count("talks_offered", source="goal_talks"),
            count("talks_held", source="goal_talks"),
            rate("talks_held_rate", "talks_held", "talks_offered", source="goal_talks"),
        ),
    ),
)
PULSE_COLUMNS = ("answers", "room_to_speak", "next_steps", "useful")


def pulse_cells(*, answers: int, room: float, steps: float, useful: float) -> dict[str, Cell]:
    """A manager's pulse: released batches only, each of at least the threshold of answers."""
    return {
        "answers": Cell(value=answers),
        "room_to_speak": Cell(value=round(100 * room, 1)),
        "next_steps": Cell(value=round(100 * steps, 1)),
        "useful": Cell(value=round(useful, 1)),
    }
