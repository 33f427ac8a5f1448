"""What Rapport keeps about Slack beyond identities: which users' profiles it has fetched.

slack_sdk's installation and OAuth-state tables are created by migration 0011 but are not models
here: slack_sdk's stores own them (see `store.slack.INSTALLATION_TABLES`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class SlackProfile(Base):
    """A Slack user whose `users.info` profile Rapport has fetched (or tried to: `error` says why not).

    A Slack identity with no row here is the background profile queue's work. `display_name` and
    `timezone` are what Slack last said, so that a later change on Slack updates only what came from it.
    """

    __tablename__ = "slack_profile"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
