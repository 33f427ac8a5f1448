"""What a review leaves behind: the manager's preparation, the meeting record, the anonymous pulse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class ReviewPrep(Base):
    """The manager's preparation for one meeting: the self-review read, examples noted, questions."""

    __tablename__ = "review_prep"
    __table_args__ = (UniqueConstraint("org_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id", ondelete="CASCADE"))
    self_review_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    examples: Mapped[list[str]] = mapped_column(JSON)
    questions: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewRecord(Base):
    """The meeting record: four parts, the support the manager commits to, and the employee's answer.

    `response`: pending | confirmed | commented (she may still confirm after commenting). The agreed
    actions are action items with `source="review"` and `source_ref` = the meeting id; fewer than two
    need `actions_reason`. An amendment keeps the version it replaces in `history` (oldest first:
    parts, support, actions, actions_reason, response, comment, responded_at, recorded_at) and asks
    the employee to confirm again.
    """

    __tablename__ = "review_record"
    __table_args__ = (UniqueConstraint("org_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meeting.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    support: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actions_reason: Mapped[str | None] = mapped_column(Text)
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    amended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReviewPulse(Base):
    """One anonymous pulse answer about a manager's review. Deliberately without the employee or the
    meeting: it is only ever read as an aggregate, and only once released in a batch of at least the
    threshold (`bot.anonymity.batches`): `batch` is the manager's batch it was released in (None while
    held) and `released_week` the ISO week of that release, where HR figures count it.
    """

    __tablename__ = "review_pulse"
    __table_args__ = (Index("ix_review_pulse_org_manager", "org_id", "manager_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    room_to_speak: Mapped[int] = mapped_column(Integer)  # 1 yes, 0 no
    next_steps: Mapped[int] = mapped_column(Integer)  # 1 yes, 0 no
    useful: Mapped[int] = mapped_column(Integer)  # 1–5
    week: Mapped[str] = mapped_column(String(10))  # ISO week only, never the exact time
    batch: Mapped[int | None] = mapped_column(Integer)
    released_week: Mapped[str | None] = mapped_column(String(10))
