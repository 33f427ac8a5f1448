"""Review meetings, and the roles (such as HR) that some people hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class PersonRole(Base):
    """A role a person holds in their organisation, e.g. "hr"."""

    __tablename__ = "person_role"
    __table_args__ = (UniqueConstraint("org_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewMeeting(Base):
    """A formal review between an employee and their manager. `status`: scheduled | held | cancelled."""

    __tablename__ = "review_meeting"
    __table_args__ = (
        Index("ix_review_meeting_org_employee", "org_id", "employee_id", "starts_at"),
        Index("ix_review_meeting_org_manager", "org_id", "manager_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
