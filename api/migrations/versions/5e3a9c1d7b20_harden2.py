"""harden2: a meeting outlives an erased participant (issue 17.10)

Both participant references of a meeting may become NULL: erasing a person keeps their
meetings as cancelled rows with that side empty, so published schedule versions keep
their placements and partners' calendar feeds can show STATUS:CANCELLED.

Revision ID: 5e3a9c1d7b20
Revises: 5d0c1f2a7b3e
Create Date: 2026-11-25 22:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e3a9c1d7b20"
down_revision = "5d0c1f2a7b3e"  # re-chained after web2 (was 49c19bcd37f6)
branch_labels = None
depends_on = None

SIDES = ("participant_a_id", "participant_b_id")


def _fk(column: str) -> str:
    return f"fk_meetings_{column}_participants"


def upgrade():
    # Batch mode: SQLite cannot change a column's nullability or a foreign key in place.
    with op.batch_alter_table("meetings") as batch:
        for column in SIDES:
            batch.drop_constraint(_fk(column), type_="foreignkey")
            batch.alter_column(column, existing_type=sa.Integer(), nullable=True)
            batch.create_foreign_key(
                _fk(column), "participants", [column], ["id"], ondelete="SET NULL"
            )


def downgrade():
    # Meetings of erased people cannot name them again: they go, as before this revision.
    # Foreign keys are off during migrations (env.py), so nothing cascades: their
    # placements (and those placements' seats) go first, by hand.
    orphans = "SELECT id FROM meetings WHERE participant_a_id IS NULL OR participant_b_id IS NULL"
    placements = f"SELECT id FROM meeting_placements WHERE meeting_id IN ({orphans})"
    op.execute(f"DELETE FROM meeting_seats WHERE placement_id IN ({placements})")
    op.execute(f"DELETE FROM meeting_placements WHERE meeting_id IN ({orphans})")
    op.execute(f"DELETE FROM meetings WHERE id IN ({orphans})")
    with op.batch_alter_table("meetings") as batch:
        for column in SIDES:
            batch.drop_constraint(_fk(column), type_="foreignkey")
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(
                _fk(column), "participants", [column], ["id"], ondelete="CASCADE"
            )
