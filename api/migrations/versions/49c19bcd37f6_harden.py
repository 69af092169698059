"""harden: guarantees the database keeps (issue 17)

One published schedule version per event and kind; job leases and one active job per
event and kind; pending organisation
memberships; one booth per participant.

Revision ID: 49c19bcd37f6
Revises: 167f3a810578
Create Date: 2026-11-25 19:50:00

"""

from alembic import op
import sqlalchemy as sa
import api.models.types


# revision identifiers, used by Alembic.
revision = "49c19bcd37f6"
down_revision = "167f3a810578"
branch_labels = None
depends_on = None

PUBLISHED = sa.text("status = 'published'")
ACTIVE = sa.text("status IN ('queued', 'running')")


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
    op.add_column("jobs", sa.Column("lease_owner", sa.String(length=100), nullable=True))
    op.add_column(
        "jobs", sa.Column("lease_expires_dt", api.models.types.UTCDateTime(), nullable=True)
    )
    # Older databases may hold several active jobs of a kind: the newest stays.
    op.execute(
        """
        UPDATE jobs SET status = 'failed', error = 'Superseded by a newer job of this kind.'
        WHERE status IN ('queued', 'running') AND id NOT IN (
            SELECT max(id) FROM jobs WHERE status IN ('queued', 'running')
            GROUP BY event_id, kind
        )
        """
    )
    op.create_index(
        "uq_jobs_active_kind",
        "jobs",
        ["event_id", "kind"],
        unique=True,
        postgresql_where=ACTIVE,
        sqlite_where=ACTIVE,
    )


    op.add_column(
        "participants",
        sa.Column(
            "membership", sa.String(length=10), nullable=False, server_default="approved"
        ),
    )
    # One booth per participant: older duplicates lose their reservation.
    op.execute(
        """
        UPDATE meeting_tables SET reserved_for_id = NULL
        WHERE reserved_for_id IS NOT NULL AND id NOT IN (
            SELECT min(id) FROM meeting_tables WHERE reserved_for_id IS NOT NULL
            GROUP BY reserved_for_id
        )
        """
    )
    op.create_index(
        "ix_meeting_tables_reserved_for_id", "meeting_tables", ["reserved_for_id"], unique=True
    )


def downgrade():
    op.drop_index("ix_meeting_tables_reserved_for_id", table_name="meeting_tables")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("membership")
    op.drop_index("uq_jobs_active_kind", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("lease_expires_dt")
        batch.drop_column("lease_owner")
    op.drop_index("uq_schedule_versions_published", table_name="schedule_versions")
