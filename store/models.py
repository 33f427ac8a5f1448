"""The tables. Every row belongs to one organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from store.types import UTCDateTime

# Named constraints let Alembic alter them on SQLite (batch mode recreates tables by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def in_org(org_id_column: Any, org_id: Any) -> ColumnElement[bool]:
    """`org_id_column == org_id` for a query that finds its rows by another key: by primary key
    (`id IN (...)`), or a join by `person_id`.

    Written `org_id + 0` so that SQLite cannot answer it from an index: otherwise it may prefer an
    index that starts with `org_id` and walk every row of the organisation to find the few it names,
    with or without its statistics. Measured at 5,000 people: 728 us instead of 251 to read 500
    people by id. Joined to identities with a plain `org_id = ?`, a delivery batch's query for its
    recipients' identities on one platform was once planned through the (org_id, platform) index, every
    identity of the organisation for each recipient: 0.4 s for 436 recipients instead of 1 ms.
    PostgreSQL plans it as before.
    """
    return (org_id_column + 0) == org_id


class Organisation(Base):
    __tablename__ = "organisation"
    # Columns with database defaults only are not read back on insert: a database at an older revision
    # (in a migration's test) lacks them. Read them by a query (`store.goals.settings`).
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_locale: Mapped[str] = mapped_column(String(16), default="en")
    company_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Check-in answers older than this many months are removed (None: kept).
    retention_months: Mapped[int | None] = mapped_column(Integer)
    # Kudos and feedback one person may give in a day: generous, a guard against noise, not a quota.
    daily_give_cap: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    # Anonymous feedback is shown only in batches of at least this many answers; never below 3.
    feedback_anonymity_threshold: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # Goals (issue 18): visible to the whole organisation unless private (the person, their manager
    # chain and HR); objectives run a quarter unless the organisation chose halves or years. Database
    # defaults only, so that an insert names no column a database at an older revision lacks.
    goal_visibility: Mapped[str] = mapped_column(String(16), server_default="organisation")  # or private
    goal_cycle: Mapped[str] = mapped_column(String(16), server_default="quarter")
    # The time zone of people who have none of their own (some platforms give none):
    # `bot.workdays.person_zone`. None: UTC. A database default (NULL), so that an insert does not name
    # it either; `store.orgs.create` knows it is None.
    default_timezone: Mapped[str | None] = mapped_column(String(64), server_default=text("NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Workspace(Base):
    """A platform's workspace, team or tenant (or the console's org key), mapped to its organisation."""

    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("org_id", "email"),
        UniqueConstraint("org_id", "handle"),
        Index("ix_person_org_manager", "org_id", "manager_id"),
        # Mentions are matched case-insensitively (store.people.matching_with_platforms).
        Index("ix_person_org_lower_handle", "org_id", text("lower(handle)")),
        Index("ix_person_org_lower_email", "org_id", text("lower(email)")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320))
    handle: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    # When the current manager became the manager (the org import sets it): what the person wrote for
    # their manager before then is not theirs to read (`bot.access`). None: since before it was kept.
    manager_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when the person's personal content was erased; the row stays as an anonymous tombstone so
    # that counts (per department, per manager) still add up.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Identity(Base):
    """A person's user id on one platform: `(org, platform, platform user id)` names one person."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("org_id", "platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(128))


class Kudos(Base):
    __tablename__ = "kudos"
    __table_args__ = (Index("ix_kudos_org_giver_created", "org_id", "giver_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    giver_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    company_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    platform: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    recipients: Mapped[list[KudosRecipient]] = relationship(
        back_populates="kudos", lazy="selectin", cascade="all, delete-orphan"
    )


class KudosRecipient(Base):
    __tablename__ = "kudos_recipient"
    __table_args__ = (Index("ix_kudos_recipient_org_person", "org_id", "person_id"),)

    kudos_id: Mapped[int] = mapped_column(ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))

    kudos: Mapped[Kudos] = relationship(back_populates="recipients")


# Literal, not bound, values: a partial index is used only for a query whose condition matches its own.
OUTBOX_CLAIMABLE = text("status IN ('pending', 'sending')")


class OutboxMessage(Base):
    """A message for someone other than the person who acted, written in the same transaction as its cause.

    `payload` is a platform-neutral reply (see `bot.replies`), already in the recipient's language.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (
        # What a delivery worker claims, oldest first (store.outbox.claim_due): the claim walks this
        # in id order and stops at its limit, instead of sorting every pending row for each batch.
        # It is the only query by status and due time, so no other index on them is kept up.
        Index(
            "ix_outbox_message_claimable",
            "platform",
            "id",
            "next_attempt_at",
            sqlite_where=OUTBOX_CLAIMABLE,
            postgresql_where=OUTBOX_CLAIMABLE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # dm | channel
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    platform: Mapped[str | None] = mapped_column(String(16))
    channel_id: Mapped[str | None] = mapped_column(String(128))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # pending | sending (leased) | sent | failed (a permanent error) | dropped (no longer useful)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A reply sent as several platform messages: how many of them went out (store.outbox_marks.parts_sent)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)  # while sending: the lease's end
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # not sent by then: dropped, not sent late
    leased_by: Mapped[str | None] = mapped_column(String(64))  # the worker holding a sending row


class ProcessedEvent(Base):
    """A platform event id seen once; its insert shares the transaction of the event's effect."""

    __tablename__ = "processed_event"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
