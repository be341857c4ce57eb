"""GOV.UK Notify, SMS and delivery receipts (merges the three 0009/0010 heads)

- contact.mobile: a checked UK mobile in E.164, from `portal import contacts`.
- invitation.recipient_mobile, channel 'sms': a text goes to it.
- invitation.notify_id, delivery_status, delivery_status_at: Notify's id of the last message
  and what its receipts say (ADR 0068).

Revision ID: 0011_notify
Revises: 0009_report, 0009_chase, 0010_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_notify"
down_revision = ("0009_report", "0009_chase", "0010_inbox")
branch_labels = None
depends_on = None

WITH_SMS = "channel IN ('email', 'sms', 'post', 'hand', 'qr')"
WITHOUT_SMS = "channel IN ('email', 'post', 'hand', 'qr')"


def upgrade():
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mobile", sa.String(length=16), nullable=True))
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_mobile", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("notify_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("delivery_status", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("delivery_status_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint("uq_invitation_notify_id", ["notify_id"])
        batch_op.drop_constraint("ck_invitation_channel", type_="check")
        batch_op.create_check_constraint("ck_invitation_channel", WITH_SMS)


def downgrade():
    op.execute("UPDATE invitation SET channel = 'hand' WHERE channel = 'sms'")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint("ck_invitation_channel", type_="check")
        batch_op.create_check_constraint("ck_invitation_channel", WITHOUT_SMS)
        batch_op.drop_constraint("uq_invitation_notify_id", type_="unique")
        batch_op.drop_column("delivery_status_at")
        batch_op.drop_column("delivery_status")
        batch_op.drop_column("notify_id")
        batch_op.drop_column("recipient_mobile")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("mobile")
