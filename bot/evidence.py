"""What a review's evidence is: the vocabulary features use to contribute to it and the reviews feature
uses to gather it.

A feature registers what it adds to a review's evidence on the router (`router.evidence(name)`), as it
registers its jobs; the reviews feature calls every registered gatherer for one period and reads
their pieces (`bot.features.reviews.evidence`), and imports no other feature to do so. A gatherer
applies `bot.access` itself: what the reader may not see is left out before anything is returned.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Messages
from bot.workdays import person_zone
from store.models import Organisation, Person
from store.review_models import ReviewMeeting


@dataclass(frozen=True, kw_only=True)
class Dated:
    """One piece of evidence and the day it happened (in the reader's time zone)."""

    day: date
    text: str = ""
    value: Any = None
    who: str = ""


def dated(moment: datetime, tz: ZoneInfo, **kwargs: Any) -> Dated:
    """A piece of evidence of the day `moment` was in `tz`."""
    return Dated(day=moment.astimezone(tz).date(), **kwargs)


@dataclass(frozen=True, kw_only=True)
class Topic:
    """A topic of the suggested agenda: a catalogue key (`review_digest.topic.<key>`), its weight."""

    key: str
    weight: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Period:
    """What a gatherer is asked: `employee`'s period from `since` to `until`, read by `reader` (the
    manager, for the digest; the employee herself, for her self-review)."""

    session: AsyncSession
    org: Organisation
    meeting: ReviewMeeting
    employee: Person
    reader: Person
    since: datetime
    until: datetime
    now: datetime
    tz: ZoneInfo  # the reader's: what is due is due in her day
    previous: ReviewMeeting | None = None  # the previous held review, if any

    @property
    def org_id(self) -> int:
        return self.meeting.org_id

    def zone_of(self, person: Person) -> ZoneInfo:
        """Where `person` is: their own zone, else the organisation's (`bot.workdays.person_zone`)."""
        return person_zone(person, self.org)

    def written_to_employee(self) -> dict[str, Any]:
        """The arguments of a `store.review_evidence` query for what the employee got in the period."""
        return {
            "org_id": self.org_id,
            "person_id": self.employee.id,
            "since": self.since,
            "until": self.until,
        }


# Returns the pieces it found by name (`moods`, `kudos`, ...): the fields of the review's evidence.
Gatherer = Callable[[Period], Awaitable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Source:
    """A registered gatherer; `self_review`: its pieces are also summed up under the first question of
    the employee's self-review (each piece then has a `summary`); `record`: its pieces propose what to
    write under the questions of the meeting's record (each piece then has `proposals`)."""

    gather: Gatherer
    self_review: bool = False
    record: bool = False


class Part(Protocol):
    """A piece that says itself: its lines in its section of the digest, its agenda topics, its summary
    in the self-review, and what it proposes under a question of the meeting's record (`part`: goals,
    process, lessons, development)."""

    def lines(self, t: Messages, *, today: date, short_day: Callable[[Messages, date], str]) -> list[str]: ...

    def topics(self, t: Messages, *, today: date) -> list[Topic]: ...

    def summary(self, t: Messages, *, today: date) -> list[str]: ...

    def proposals(self, t: Messages, *, today: date, part: str) -> list[str]: ...


@dataclass(frozen=True)
class Nothing:
    """A part nobody contributed: no lines, no topics."""

    def lines(self, t: Messages, *, today: date, short_day: Callable[[Messages, date], str]) -> list[str]:
        return []

    def topics(self, t: Messages, *, today: date) -> list[Topic]:
        return []

    def summary(self, t: Messages, *, today: date) -> list[str]:
        return []

    def proposals(self, t: Messages, *, today: date, part: str) -> list[str]:
        return []


NOTHING = Nothing()
