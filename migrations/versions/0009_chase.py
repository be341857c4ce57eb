"""One chase list

- invitation.declined_at: the person said no; the invitation leaves the chase list but still
  counts as sent and not returned in the return rates (undoing it clears the column).
- chase_note: each phone call or visit made to chase a form ("chased by phone on DATE, note"),
  kept as a history.

Revision ID: 0009_chase
Revises: 0008_participation
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_chase"
down_revision = "0008_participation"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declined_at", Timestamp, nullable=True))
    op.create_table(
        "chase_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("chased_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.CheckConstraint("kind IN ('phone', 'visit')", name="ck_chase_note_kind"),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("chase_note", schema=None) as batch_op:
        batch_op.create_index("ix_chase_note_invitation_id", ["invitation_id"], unique=False)


def downgrade():
    op.drop_table("chase_note")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("declined_at")
