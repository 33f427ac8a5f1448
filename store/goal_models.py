"""Goals (issue 18): objectives with key results, their updates, and development goals (the IDP)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class Objective(Base):
    """What a person, a team (its manager owns it) or the company (HR owns it) means to achieve in a
    cycle. `level`: person | team | company. `status`: draft | open | done | dropped (a draft is carried
    from a review and waits for its owner to confirm it). `parent_id` is the objective it sits under.

    `override` (on_track | at_risk | behind) is the owner's own reading of the status, with its
    `override_reason`; None lets the pace decide (`bot.goal_pace`).
    """

    __tablename__ = "goal_objective"
    __table_args__ = (
        Index("ix_goal_objective_org_owner_status", "org_id", "owner_id", "status"),
        Index("ix_goal_objective_org_level", "org_id", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("goal_objective.id", ondelete="SET NULL"))
    cycle_start: Mapped[date] = mapped_column(Date)
    cycle_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    override: Mapped[str | None] = mapped_column(String(16))
    override_reason: Mapped[str | None] = mapped_column(Text)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KeyResult(Base):
    """A measurable result of an objective, numbered 1–5 within it (`position`): #3.2 is the second of
    objective 3. `kind`: number (start, target, current, unit; the target may be below the start) or
    milestone (done or not). `status`: open | done | dropped. `told` remembers what the manager was
    already told about it ("behind", "confidence"), so that they hear it once."""

    __tablename__ = "goal_key_result"
    __table_args__ = (Index("ix_goal_key_result_org_objective", "org_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    objective_id: Mapped[int] = mapped_column(ForeignKey("goal_objective.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    start_value: Mapped[float] = mapped_column(Float, default=0.0)
    target_value: Mapped[float] = mapped_column(Float, default=1.0)
    current_value: Mapped[float] = mapped_column(Float, default=0.0)
    unit: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    told: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GoalUpdate(Base):
    """One update of a key result: the value, a confidence 1–10, an optional note, who and when."""

    __tablename__ = "goal_update"
    __table_args__ = (Index("ix_goal_update_org_key_result", "org_id", "key_result_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    key_result_id: Mapped[int] = mapped_column(ForeignKey("goal_key_result.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    value: Mapped[float] = mapped_column(Float)
    confidence: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DevelopmentGoal(Base):
    """A goal of the individual development plan: a skill or behaviour, the activity, the support
    committed, a due date. `status`: open | done | dropped. Seen by the person and their manager only."""

    __tablename__ = "development_goal"
    __table_args__ = (Index("ix_development_goal_org_person_status", "org_id", "person_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(Text)
    activity: Mapped[str | None] = mapped_column(Text)
    support: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    source_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GoalConversation(Base):
    """A monthly goal conversation offered to a manager about one direct report: one row per manager,
    report and `month` ("2026-12", the manager's local month), written with the DM that offers it, so
    the DM goes once however often the job runs. `held_at` is when the manager said it was held."""

    __tablename__ = "goal_conversation"
    __table_args__ = (
        UniqueConstraint("org_id", "manager_id", "report_id", "month"),
        Index("ix_goal_conversation_org_month", "org_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    month: Mapped[str] = mapped_column(String(7))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
