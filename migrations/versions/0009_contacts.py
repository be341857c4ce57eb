"""The people to invite for a child, and the postal address a letter is printed with

- contact: one per (child, role, name), from `portal import contacts`; Prepare proposes them.
- invitation.postal_address: copied from the contact when prepared, printed where a window
  envelope shows it, cleared by purge.

Revision ID: 0009_contacts
Revises: 0008_participation
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_contacts"
down_revision = "0008_participation"
branch_labels = None
depends_on = None

ROLES = "'child', 'care_leaver', 'parent', 'carer', 'health', 'education', 'guardian'"


def upgrade():
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("child_id", "role", "name", name="uq_contact_child_role_name"),
        sa.CheckConstraint(f"role IN ({ROLES})", name="ck_contact_role"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("postal_address", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("postal_address")
    op.drop_table("contact")
