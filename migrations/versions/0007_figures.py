"""Purge keeps answer keys; withdrawn links leave return rates

- response.purged_at: when purge removed the response's free text (ADR 0047); purge skips rows
  already purged.
- response.fingerprint: a keyed hash of an imported row, so importing the same file again after
  a purge still finds it (ADR 0047).
- ix_invitation_report_cover gains revoked_at: return rates leave out withdrawn links that never
  came back (ADR 0048) and still read only the index.

Revision ID: 0007_figures
Revises: 0004_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_figures"
down_revision = "0004_reports"
branch_labels = None
depends_on = None

COVER = [
    "review_date", "stage", "role", "review_kind", "channel", "language",
    "sent_at", "returned_at", "meeting_qr_id",
]


def upgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("ix_invitation_report_cover")
        batch_op.create_index("ix_invitation_report_cover", [*COVER, "revoked_at"], unique=False)


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index("ix_invitation_report_cover")
        batch_op.create_index("ix_invitation_report_cover", COVER, unique=False)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("fingerprint")
        batch_op.drop_column("purged_at")
