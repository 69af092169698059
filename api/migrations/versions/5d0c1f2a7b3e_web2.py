"""web2: the invitee's word when declining a meeting request

Revision ID: 5d0c1f2a7b3e
Revises: 49c19bcd37f6
Create Date: 2026-11-25 22:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5d0c1f2a7b3e"
down_revision = "49c19bcd37f6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting_requests") as batch:
        batch.add_column(sa.Column("answer_message", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("meeting_requests") as batch:
        batch.drop_column("answer_message")
