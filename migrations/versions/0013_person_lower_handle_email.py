"""person: indexes on the lower-cased handle and email, for finding the people a message names

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 14:20:00

Without them, every kudos or piece of feedback naming someone read every person of the organisation
(measured: 2.4 ms per lookup in an organisation of 20,000 people).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_person_org_lower_handle", "person", ["org_id", sa.text("lower(handle)")])
    op.create_index("ix_person_org_lower_email", "person", ["org_id", sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_person_org_lower_email", table_name="person")
    op.drop_index("ix_person_org_lower_handle", table_name="person")
