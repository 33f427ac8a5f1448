"""Tables of conversational forms, check-in schedules, due work, presence, holidays and signals.

Imported by `store.models` so that they share its metadata (and Alembic sees them).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class FormTemplate(Base):
    """An organisation's own version of a form (imported from YAML); version 0 is the built-in one."""

    __tablename__ = "form_template"
    __table_args__ = (UniqueConstraint("org_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Literal, not bound: the partial index is used only by a query whose condition matches its own.
FORM_ACTIVE = text("status = 'open'")


class FormSession(Base):
    """One person filling in one form about one subject: all of its state, so a restart loses nothing.

    A person answers one form at a time (`bot.forms.queue`): their "open" session is the one whose
    question was shown last, and the database holds at most one; the others in progress are
    "waiting" their turn, in the order of `queued`.
    """

    __tablename__ = "form_session"
    __table_args__ = (
        UniqueConstraint("org_id", "person_id", "form_key", "subject"),
        Index("ix_form_session_org_person_status", "org_id", "person_id", "status"),
        Index(
            "ix_form_session_one_open",
            "org_id",
            "person_id",
            unique=True,
            sqlite_where=FORM_ACTIVE,
            postgresql_where=FORM_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    form_key: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(128))
    step: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # open | waiting | done | cancelled | expired
    # When it last started waiting, as a count among the person's forms: the higher, the more recent.
    queued: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When its reminder is due, if one was scheduled (a check-in's): HR's figures count an answer
    # before it as on time, reading this table alone.
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A finished form opened again to change it: its answers as finished, until the change is finished.
    # A change cancelled or left when the form closes leaves the form as it was (`store.forms.save`).
    finished_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class CheckinSchedule(Base):
    """When one person is asked for a check-in, in their own time zone."""

    __tablename__ = "checkin_schedule"
    __table_args__ = (UniqueConstraint("org_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    cadence: Mapped[str] = mapped_column(String(16))  # weekly | biweekly | monthly | off (chosen)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer)
    anchor: Mapped[date] = mapped_column(Date)  # a date in an "on" week, for every two weeks
    # Who set it: person (`/checkin schedule`), admin (a team schedule, an import) or unknown (set
    # before Rapport recorded it). A team schedule changes only admin's, unless told to replace all.
    set_by: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DueWork(Base):
    """Something to do at a time: a prompt, a reminder. Claimed in the database, so done once."""

    __tablename__ = "due_work"
    __table_args__ = (
        UniqueConstraint("org_id", "kind", "subject", "run_at"),
        Index("ix_due_work_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # pending | done | skipped | failed
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)  # run_at, later after a failure
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Availability(Base):
    """Reminders muted until, and prompts paused (away) until, per person."""

    __tablename__ = "availability"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    away_until: Mapped[date | None] = mapped_column(Date)  # the last local day away


class Holiday(Base):
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("org_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


class Signal(Base):
    """Something a manager should know at the next review: a blocker, a run of low moods."""

    __tablename__ = "signal"
    __table_args__ = (Index("ix_signal_org_person_created", "org_id", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # blocked | low_mood
    subject: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
