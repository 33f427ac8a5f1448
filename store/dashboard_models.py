"""The web dashboard's sign-in: one-time links and sessions, both kept only as hashes.

Also the indexes the HR figures (`store.insights`) read through: each figure is one GROUP BY over a
period of one organisation, so the period column comes right after `org_id`. They are declared here,
next to the queries' other needs, rather than in the feature modules that own those tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.action_models import ActionItem
from store.checkin_models import FormSession
from store.models import Base, Kudos, Person
from store.review_models import ReviewMeeting
from store.types import UTCDateTime


class DashboardLink(Base):
    """A one-time sign-in link sent by `/rapport dashboard`: valid for minutes, usable once."""

    __tablename__ = "dashboard_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the secret, hex
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DashboardSession(Base):
    """A signed-in browser: the cookie holds the secret, the row only its hash."""

    __tablename__ = "dashboard_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Period scans for the figures (see the module docstring).
FIGURE_INDEXES = (
    # Whom each check-in asked and when they answered, in the index itself: the year's figures read
    # the index alone instead of each row (10,000 people's year: 2.1 s -> 0.9 s on SQLite).
    Index(
        "ix_form_session_org_form_subject",
        FormSession.org_id,
        FormSession.form_key,
        FormSession.subject,
        FormSession.person_id,
        FormSession.completed_at,
    ),
    Index("ix_review_meeting_org_starts", ReviewMeeting.org_id, ReviewMeeting.starts_at),
    Index("ix_action_item_org_due", ActionItem.org_id, ActionItem.due_on),
    Index("ix_action_item_org_source_ref", ActionItem.org_id, ActionItem.source, ActionItem.source_ref),
    Index("ix_kudos_org_created", Kudos.org_id, Kudos.created_at),
    Index("ix_person_org_department", Person.org_id, Person.department),
)
