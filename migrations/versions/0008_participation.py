"""Participation recorded when a review is held, the message to the child, advocacy

Joins the three heads (0005, 0006, 0007) into one, so later migrations have one parent.

- review.held_on (a date) replaces review.held_at (a timestamp at noon UTC): the participation
  report counts reviews by the day they were held, through an index.
- review.participation (DfE SSDA903 PN0-PN7), chaired_by_young_person, attended_roles,
  iro_saw_child_on, stood_down_reason and stood_down_note.
- review.review_ref: the case system's id for a review (`portal import reviews`).
- review_outcome: "What happened at your review", one per review.
- advocacy_request: a young person asked for an advocate.

Revision ID: 0008_participation
Revises: 0005_staff_security, 0006_links, 0007_figures
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_participation"
down_revision = ("0005_staff_security", "0006_links", "0007_figures")
branch_labels = None
depends_on = None

CODES = "'PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7'"
REASONS = (
    "'child_unwell', 'family_unavailable', 'iro_unavailable', 'placement_move', "
    "'social_worker_unavailable', 'other'"
)
Timestamp = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_ref", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("held_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("participation", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("chaired_by_young_person", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("attended_roles", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("iro_saw_child_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("stood_down_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("stood_down_note", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.create_unique_constraint("uq_review_review_ref", ["review_ref"])
        batch_op.create_index("ix_review_held_on", ["held_on"], unique=False)
        batch_op.create_check_constraint("ck_review_participation", f"participation IN ({CODES})")
        batch_op.create_check_constraint(
            "ck_review_stood_down_reason", f"stood_down_reason IN ({REASONS})"
        )
    # held_at was always noon UTC on the held day, so its date is the held date.
    op.execute("UPDATE review SET held_on = CAST(held_at AS DATE) WHERE held_at IS NOT NULL")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("held_at")

    op.create_table(
        "review_outcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("talked_about", sa.Text(), nullable=False),
        sa.Column("decided", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("who_to_talk_to", sa.Text(), nullable=False),
        sa.Column("translation", sa.JSON(), nullable=True),
        sa.Column("translated_at", Timestamp, nullable=True),
        sa.Column("translated_by_id", sa.Integer(), nullable=True),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("sent_at", Timestamp, nullable=True),
        sa.Column("opened_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"]),
        sa.ForeignKeyConstraint(["translated_by_id"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["written_by_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id"),
    )
    op.create_table(
        "advocacy_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("question_key", sa.String(length=64), nullable=False),
        sa.Column("option_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["invitation.id"]),
        sa.ForeignKeyConstraint(["referred_by_id"], ["staff_user.id"]),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("advocacy_request", schema=None) as batch_op:
        batch_op.create_index("ix_advocacy_request_review_id", ["review_id"], unique=False)
        batch_op.create_index("ix_advocacy_request_invitation_id", ["invitation_id"], unique=False)


def downgrade():
    op.drop_table("advocacy_request")
    op.drop_table("review_outcome")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_at", Timestamp, nullable=True))
    op.execute(
        "UPDATE review SET held_at = CAST(held_on AS TIMESTAMP) WHERE held_on IS NOT NULL"
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_constraint("ck_review_stood_down_reason", type_="check")
        batch_op.drop_constraint("ck_review_participation", type_="check")
        batch_op.drop_index("ix_review_held_on")
        batch_op.drop_constraint("uq_review_review_ref", type_="unique")
        for column in (
            "stood_down_note", "stood_down_reason", "iro_saw_child_on", "attended_roles",
            "chaired_by_young_person", "participation", "held_on", "review_ref",
        ):
            batch_op.drop_column(column)
