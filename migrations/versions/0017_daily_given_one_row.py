"""daily_given: one row a person, their latest day of giving, instead of one a day kept for ever

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-24 23:30:00

The daily cap reads only the giver's current day, so the rows of the days before were never read
again, yet one was added for every person who gave, every day. Each person keeps the row of their
latest day here; the downgrade puts those rows back in the shape 0016 made.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rows() -> list[dict]:
    found = op.get_bind().execute(sa.text("SELECT org_id, person_id, day, given FROM daily_given"))
    return [dict(row._mapping) for row in found]


def _create(*, by_day: bool) -> sa.Table:
    key = ("org_id", "person_id", "day") if by_day else ("org_id", "person_id")
    return op.create_table(
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
        sa.PrimaryKeyConstraint(*key, name=op.f("pk_daily_given")),
    )


def upgrade() -> None:
    latest: dict[tuple[int, int], dict] = {}
    for row in sorted(_rows(), key=lambda row: str(row["day"])):  # ISO dates: text order is date order
        latest[(row["org_id"], row["person_id"])] = row
    op.drop_table("daily_given")
    table = _create(by_day=False)
    if latest:
        op.bulk_insert(table, [_dated(row) for row in latest.values()])


def downgrade() -> None:
    rows = _rows()
    op.drop_table("daily_given")
    table = _create(by_day=True)
    if rows:
        op.bulk_insert(table, [_dated(row) for row in rows])


def _dated(row: dict) -> dict:
    """The row with its day as a date (SQLite hands back its text)."""
    day = row["day"]
    return {**row, "day": date.fromisoformat(day) if isinstance(day, str) else day}
