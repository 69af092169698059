"""online: online policy, video links, virtual rooms, programme grid, working hours

Revision ID: a12b0c0d1e2f
Revises: 293cfa171039
Create Date: 2026-11-25 19:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a12b0c0d1e2f"
down_revision = "293cfa171039"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events") as batch:
        batch.add_column(
            sa.Column(
                "online_policy",
                sa.String(length=20),
                nullable=False,
                server_default="either_online",
            )
        )
        batch.add_column(sa.Column("video_link_template", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("virtual_rooms", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("programme_settings", sa.JSON(), nullable=True))
    with op.batch_alter_table("participants") as batch:
        batch.add_column(
            sa.Column("working_hours_start", sa.Time(), nullable=False, server_default="09:00:00")
        )
        batch.add_column(
            sa.Column("working_hours_end", sa.Time(), nullable=False, server_default="18:00:00")
        )


def downgrade():
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("working_hours_end")
        batch.drop_column("working_hours_start")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("programme_settings")
        batch.drop_column("virtual_rooms")
        batch.drop_column("video_link_template")
        batch.drop_column("online_policy")
