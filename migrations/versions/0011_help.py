"""The "Tell my IRO I need help" button keeps one open alert per invitation

A partial unique index: at most one unacknowledged "asked for help" alert (question key `_help`)
per invitation, so a double tap or a second phone cannot raise two. Once someone acknowledges
it, asking again raises a new one.

Revision ID: 0011_help
Revises: 0010_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_help"
down_revision = "0010_inbox"
branch_labels = None
depends_on = None

OPEN_HELP = sa.text("question_key = '_help' AND acknowledged_at IS NULL")


def upgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.create_index(
            "uq_safeguarding_alert_open_help",
            ["invitation_id"],
            unique=True,
            sqlite_where=OPEN_HELP,
            postgresql_where=OPEN_HELP,
        )


def downgrade():
    with op.batch_alter_table("safeguarding_alert", schema=None) as batch_op:
        batch_op.drop_index("uq_safeguarding_alert_open_help")
