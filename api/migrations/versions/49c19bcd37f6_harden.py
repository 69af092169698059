"""harden: guarantees the database keeps (issue 17)

One published schedule version per event and kind.

Revision ID: 49c19bcd37f6
Revises: 293cfa171039
Create Date: 2026-11-25 19:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "49c19bcd37f6"
down_revision = "293cfa171039"
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")


def upgrade():
    # Older databases may hold several published versions of a kind (issue 17.4): keep
    # the newest, supersede the others, then let the index guarantee it.
    op.execute(
        """
        UPDATE schedule_versions SET status = 'superseded'
        WHERE status = 'published' AND id NOT IN (
            SELECT max(id) FROM schedule_versions WHERE status = 'published'
            GROUP BY event_id, kind
        )
        """
    )
    op.create_index(
        "uq_schedule_versions_published",
        "schedule_versions",
        ["event_id", "kind"],
        unique=True,
        postgresql_where=PUBLISHED,
        sqlite_where=PUBLISHED,
    )


def downgrade():
    op.drop_index("uq_schedule_versions_published", table_name="schedule_versions")
