"""Slack's own tables, on the shared metadata: which users' profiles Rapport has fetched.

slack_sdk's installation and OAuth-state tables are created by migration 0011 but are not models
here: slack_sdk's stores own them, so they are named as foreign tables and autogenerate leaves them
alone (`store.migrate.ours`); tests/slack/test_oauth_tables.py compares them with slack_sdk's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime

INSTALLATION_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})
Base.metadata.info.setdefault("foreign_tables", set()).update(INSTALLATION_TABLES)


class SlackProfile(Base):
    """A Slack user whose `users.info` profile Rapport has fetched (or tried to: `error` says why not).

    A Slack identity with no row here is the background profile queue's work. `display_name` and
    `timezone` are what Slack last said, so that a later change on Slack updates only what came from it.
    Keyed by the Slack user id: erased and exported with the person's Slack identity.
    """

    __tablename__ = "slack_profile"
    __table_args__ = (
        {
            "info": {
                "platform_account": "slack",
                "export": {
                    "profile_name": "display_name",
                    "profile_timezone": "timezone",
                    "fetched_at": "fetched_at",
                },
            }
        },
    )

    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
