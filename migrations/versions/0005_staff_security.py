"""TOTP secrets encrypted at rest, each TOTP step used once, server-side staff sessions

Revision ID: 0005_staff_security
Revises: 0004_reports

Upgrade encrypts the clear secrets already stored, with the key the app is configured with
(TOTP_ENCRYPTION_KEY, else derived from SECRET_KEY): run it with the production settings.
Downgrade decrypts them again, and stops if the configured key cannot open one.
"""

import os

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import InvalidToken, MultiFernet
from flask import current_app, has_app_context

from portal.config import load_config
from portal.crypto.secret_box import FERNET_PREFIX, box_for

revision = "0005_staff_security"
down_revision = "0004_reports"
branch_labels = None
depends_on = None

staff_user = sa.table(
    "staff_user", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String)
)


def _box() -> MultiFernet:
    return box_for(current_app.config if has_app_context() else load_config(os.environ))


def _rewrite_secrets(change, wanted) -> None:
    """Apply `change` to every stored secret for which `wanted(secret)` is true."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(staff_user.c.id, staff_user.c.totp_secret).where(
            staff_user.c.totp_secret.is_not(None)
        )
    ).all()
    for user_id, secret in rows:
        if wanted(secret):
            connection.execute(
                staff_user.update()
                .where(staff_user.c.id == user_id)
                .values(totp_secret=change(secret))
            )


def upgrade():
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "totp_setup_required", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    op.create_table(
        "staff_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"]),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index("ix_staff_session_user_id", ["user_id"], unique=False)
    box = _box()
    _rewrite_secrets(
        lambda secret: box.encrypt(secret.encode()).decode(),
        lambda secret: not secret.startswith(FERNET_PREFIX),
    )


def _decrypt(box: MultiFernet, token: str) -> str:
    try:
        return box.decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise RuntimeError(
            "A stored TOTP secret cannot be decrypted: run the downgrade with the same "
            "TOTP_ENCRYPTION_KEY (or SECRET_KEY) the upgrade used."
        ) from error


def downgrade():
    box = _box()
    _rewrite_secrets(
        lambda token: _decrypt(box, token), lambda secret: secret.startswith(FERNET_PREFIX)
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_session_user_id")
    op.drop_table("staff_session")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("totp_setup_required")
        batch_op.drop_column("totp_last_step")
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
