"""ix_form_session_org_form_subject covers the check-in figures: person_id and completed_at added

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 23:30:00

Issue 16: HR's dashboard counts a year of check-ins (asked, answered, on time; the people behind
each month) for the whole organisation. With whom each check-in asked and when they answered in the
index, those counts read the index alone instead of fetching every row: at 10,000 people with a year
of weekly check-ins, 2.1 s -> 0.9 s on SQLite. The same prefix serves every query the narrower index
served.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_form_session_org_form_subject"


def upgrade() -> None:
    op.drop_index(NAME, table_name="form_session")
    op.create_index(NAME, "form_session", ["org_id", "form_key", "subject", "person_id", "completed_at"])


def downgrade() -> None:
    op.drop_index(NAME, table_name="form_session")
    op.create_index(NAME, "form_session", ["org_id", "form_key", "subject"])
