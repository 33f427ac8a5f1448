"""form_session.remind_at: when a check-in's reminder is due, kept with the check-in

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-06 00:45:00

Issue 16: HR's figures count a check-in answered before its reminder as on time. The reminder's time
was looked up among the due work for every check-in of the year (then joined from one grouped pass
over them); kept on the check-in when the reminder is scheduled, the year's counts read one table:
at 10,000 people with a year of weekly check-ins and their reminders, the count took 0.95 s joined
on PostgreSQL, 0.65 s so. Existing check-ins take the time of their first scheduled reminder (at
that size the update takes seconds, and leaves PostgreSQL's table to be vacuumed).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import store.types

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # In place on SQLite too (a plain ALTER TABLE ADD COLUMN): a batch rebuild would copy the table.
    op.add_column(
        "form_session", sa.Column("remind_at", store.types.UTCDateTime(timezone=True), nullable=True)
    )
    op.execute(
        "UPDATE form_session SET remind_at = ("
        " SELECT min(due_work.run_at) FROM due_work"
        " WHERE due_work.org_id = form_session.org_id AND due_work.kind = 'checkin.reminder'"
        " AND due_work.subject = form_session.id"
        ") WHERE form_key = 'checkin'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE form_session DROP COLUMN remind_at")
    else:
        op.drop_column("form_session", "remind_at")
