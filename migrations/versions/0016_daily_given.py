"""daily_given: how many kudos and pieces of feedback each person gave on each of their days

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24 21:00:00

The daily cap counted a giver's kudos and feedback since their local midnight on every kudos, a
scan that grew with each one given that day; it now reads one row. Filled here for the last two
days from what is stored (the days before no longer count towards any cap).
"""

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "daily_given",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("given", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisation.id"],
            name=op.f("fk_daily_given_org_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_daily_given_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("org_id", "person_id", "day", name=op.f("pk_daily_given")),
    )
    since = (datetime.now(UTC) - timedelta(days=2)).replace(tzinfo=None)
    counts: Counter[tuple[int, int, object]] = Counter()
    connection = op.get_bind()
    for source in ("kudos", "feedback"):
        rows = connection.execute(
            sa.text(
                f"SELECT g.org_id, g.giver_id, g.created_at, p.timezone FROM {source} g "
                "JOIN person p ON p.id = g.giver_id WHERE g.created_at >= :since"
            ),
            {"since": since},
        )
        for org_id, giver_id, created_at, timezone in rows:
            counts[(org_id, giver_id, _local_day(created_at, timezone))] += 1
    if counts:
        op.bulk_insert(
            table,
            [{"org_id": o, "person_id": p, "day": d, "given": n} for (o, p, d), n in counts.items()],
        )


def _local_day(created_at, timezone: str | None):
    if isinstance(created_at, str):  # SQLite hands back its text
        created_at = datetime.fromisoformat(created_at)
    moment = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def downgrade() -> None:
    op.drop_table("daily_given")
