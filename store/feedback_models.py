"""Private feedback from one person to another, and what each person gave a day (the daily cap)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class Feedback(Base):
    """Feedback only its recipient sees, unless the giver shared it with the recipient's manager.

    `shared_with_id` is the manager at the time of sharing: a later manager does not inherit it.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_org_recipient", "org_id", "recipient_id"),
        Index("ix_feedback_org_giver_created", "org_id", "giver_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    giver_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    shared_with_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DailyGiven(Base):
    """How many kudos and pieces of feedback a person gave on their latest day of giving (the date
    where they live). The daily cap reads this one row instead of counting what they gave, which grew
    with every kudos of the day; the writes that give add to it in the same transaction, and a new
    day starts it again. One row a person: the days before no longer count towards any cap."""

    __tablename__ = "daily_given"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    given: Mapped[int] = mapped_column(Integer)
