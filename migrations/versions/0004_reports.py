"""Covering index for return-rate reports

Revision ID: 0004_reports
Revises: 0001
"""

from alembic import op

revision = "0004_reports"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = [
    "review_date", "stage", "role", "review_kind", "channel", "language",
    "sent_at", "returned_at", "meeting_qr_id",
]


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index("ix_invitation_report_cover", COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("ix_invitation_report_cover")
