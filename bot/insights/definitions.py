"""What each figure means, and which figures may be shown.

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
- Pulse: per manager, answers of the ISO weeks of the period, from three answers up.
- Kudos: given in the period, by the givers' group and by the recipients' group.

Small groups (see `hide`): a row for a group of fewer people than the anonymity threshold is not
shown, nor any figure drawn from fewer people than that (but more than none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from store.models import Organisation
from store.review_records import MIN_PULSE_ANSWERS

ANONYMITY_THRESHOLD = 3
Counts = Mapping[str, int]


def threshold_of(org: Organisation) -> int:
    """The organisation's anonymity threshold: its own setting once it has one, else three."""
    own = getattr(org, "feedback_anonymity_threshold", None)  # a column another branch may add
    return max(own or ANONYMITY_THRESHOLD, 1)


@dataclass(frozen=True, kw_only=True)
class Cell:
    """A figure: `value` None is "no data" (a rate of nothing); `hidden` is "too few to show"."""

    value: float | int | None = None
    hidden: bool = False


@dataclass(frozen=True, kw_only=True)
class Column:
    key: str
    value: Callable[[Counts], float | int | None]
    people: str = "people"  # which count says how many people the figure comes from
    rate: bool = False


def count(field: str, *, people: str = "people") -> Column:
    return Column(key=field, value=lambda c: c.get(field, 0), people=people)


def rate(key: str, part: str, whole: str) -> Column:
    def value(c: Counts) -> float | None:
        return round(100 * c.get(part, 0) / c[whole], 1) if c.get(whole) else None

    return Column(key=key, value=value, rate=True)


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    key: str
    columns: tuple[Column, ...]


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
        columns=(count("given", people="givers"), count("received", people="recipients")),
    ),
)
PULSE_COLUMNS = ("answers", "room_to_speak", "next_steps", "useful")


def cells(spec: TableSpec, counts: Counts, *, group_size: int, threshold: int) -> dict[str, Cell]:
    """The row of one group: every figure, or "too few to show" where it could point at someone."""
    return {
        column.key: Cell(
            value=column.value(counts), hidden=hide(group_size, counts.get(column.people, 0), threshold)
        )
        for column in spec.columns
    }


def hide(group_size: int, people: int, threshold: int) -> bool:
    """A figure is hidden when its group is small, or when it comes from a few people (not none)."""
    return group_size < threshold or 0 < people < threshold


def pulse_cells(*, answers: int, room: float, steps: float, useful: float, threshold: int) -> dict[str, Cell]:
    """A manager's pulse, from three answers (or the threshold, if higher) up; never fewer."""
    hidden = answers < max(threshold, MIN_PULSE_ANSWERS)
    return {
        "answers": Cell(value=answers, hidden=hidden),
        "room_to_speak": Cell(value=round(100 * room, 1), hidden=hidden),
        "next_steps": Cell(value=round(100 * steps, 1), hidden=hidden),
        "useful": Cell(value=round(useful, 1), hidden=hidden),
    }
