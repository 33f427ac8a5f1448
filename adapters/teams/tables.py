"""The Teams adapter's own table, on the shared metadata: conversation references."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base
from store.types import UTCDateTime


class TeamsConversation(Base):
    """Where to reach one Teams user proactively: their 1:1 conversation with Rapport.

    Stored from every message and install (`adapters/teams/`), or when Rapport creates the
    conversation itself. `unreachable_reason` is set when Teams refuses delivery (the person blocked or
    removed the app), so that Rapport stops trying until they write again. Keyed by the Teams user id:
    erased and exported with the person's Teams identity.
    """

    __tablename__ = "teams_conversation"
    __table_args__ = (
        UniqueConstraint("org_id", "user_id"),
        {
            "info": {
                "platform_account": "teams",
                "export": {
                    "conversation_id": "conversation_id",
                    "unreachable_reason": "unreachable_reason",
                    "updated_at": "updated_at",
                },
            }
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(128))
    aad_object_id: Mapped[str | None] = mapped_column(String(64))
    tenant_id: Mapped[str] = mapped_column(String(128))
    service_url: Mapped[str] = mapped_column(String(500))
    conversation_id: Mapped[str | None] = mapped_column(String(500))
    bot_id: Mapped[str] = mapped_column(String(128))
    unreachable_reason: Mapped[str | None] = mapped_column(Text)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
