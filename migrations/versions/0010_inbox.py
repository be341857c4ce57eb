"""The responses inbox

- response_read: who has opened which response (read status is per staff member).
- response.translations: staff's pasted translations of free text, {question_key: text}, kept
  with the original and removed by purge with it.

Revision ID: 0010_inbox
Revises: 0009_contacts
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_inbox"
down_revision = "0009_contacts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "response_read",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["response_id"], ["response.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("response_id", "user_id"),
    )
    op.create_index("ix_response_read_user", "response_read", ["user_id"], unique=False)
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "untranslated_text", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.create_index("ix_response_submitted", ["submitted_at"], unique=False)


    _flag_existing_responses()


def _flag_existing_responses():
    """Responses already stored with free text in another language need translating."""
    response = sa.table(
        "response",
        sa.column("id", sa.Integer),
        sa.column("answers", sa.JSON),
        sa.column("text_languages", sa.JSON),
        sa.column("untranslated_text", sa.Boolean),
    )
    connection = op.get_bind()
    flagged = [
        row.id
        for row in connection.execute(
            sa.select(response.c.id, response.c.answers, response.c.text_languages)
        )
        if any(
            language
            and language.split("_")[0] != "en"
            and isinstance((row.answers or {}).get(key), str)
            and row.answers[key].strip()
            for key, language in (row.text_languages or {}).items()
        )
    ]
    for start in range(0, len(flagged), 500):
        connection.execute(
            response.update()
            .where(response.c.id.in_(flagged[start : start + 500]))
            .values(untranslated_text=True)
        )


def downgrade():
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_submitted")
        batch_op.drop_column("untranslated_text")
        batch_op.drop_column("translations")
    op.drop_index("ix_response_read_user", table_name="response_read")
    op.drop_table("response_read")
