"""Meeting QR codes count the places taken, so the cap holds at submission

Revision ID: 0006_links
Revises: 0004_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_links"
down_revision = "0004_reports"
branch_labels = None
depends_on = None

# Every response already received through a code has taken a place.
BACKFILL = """
UPDATE meeting_qr SET responses_taken = (
    SELECT COUNT(response.id)
    FROM response JOIN invitation ON response.invitation_id = invitation.id
    WHERE invitation.meeting_qr_id = meeting_qr.id
)
"""


def upgrade():
    with op.batch_alter_table("meeting_qr", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("responses_taken", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table("meeting_qr", schema=None) as batch_op:
        batch_op.drop_column("responses_taken")
