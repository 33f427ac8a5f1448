"""Peer-feedback requests: who asked whom, about what, until when, and what became of each ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class FeedbackRequest(Base):
    """A request for feedback from peers. `status`: open | closed.

    `threshold` is the organisation's anonymity threshold when the request was made (what respondents
    were promised); `batches` counts the batches of anonymous answers released so far.
    """

    __tablename__ = "feedback_request"
    __table_args__ = (Index("ix_feedback_request_org_requester", "org_id", "requester_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    topic: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean)
    threshold: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    batches: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedbackAsk(Base):
    """One person asked for feedback. `status`: asked | answered | declined | erased (answered, and the
    writer's data since erased: the answer is gone, `bot.features.feedback.request_release`).

    The answers live in the form session. For an anonymous request, `batch` and `position` say in
    which release an answer was shown and where in it (a random place); both are empty while held.
    """

    __tablename__ = "feedback_ask"
    __table_args__ = (
        UniqueConstraint("request_id", "respondent_id"),
        Index("ix_feedback_ask_org_respondent", "org_id", "respondent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("feedback_request.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("form_session.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    batch: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int | None] = mapped_column(Integer)
