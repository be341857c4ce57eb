"""The migrations build exactly the schema the models describe, and carry data forward."""

import os

import pyotp
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db as _db
from portal.models import StaffUser
from tests.conftest import _config, _create_postgres_database


def test_models_and_migrations_agree(db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models differ from migrations: {differences}"


def _fresh_database(tmp_path):
    """An empty database of the kind this run tests (SQLite, or PostgreSQL beside the run's)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        return _create_postgres_database(base)
    return f"sqlite:///{tmp_path / 'migrate.db'}", lambda: None


def test_0005_encrypts_existing_totp_secrets_and_downgrade_decrypts_them(tmp_path):
    """Secrets stored in clear before the upgrade end up encrypted."""
    url, drop = _fresh_database(tmp_path)
    app = create_app(_config(url, tmp_path))
    secret = pyotp.random_base32()
    select = sa.text("SELECT totp_secret FROM staff_user")
    try:
        with app.app_context():
            upgrade(revision="0004_reports")
            with _db.engine.begin() as connection:
                connection.execute(
                    sa.text(
                        "INSERT INTO staff_user (email, name, role, active, totp_secret, "
                        "failed_logins, session_version, created_at) VALUES ('a@example.org', "
                        "'A', 'iro', true, :secret, 0, 1, CURRENT_TIMESTAMP)"
                    ),
                    {"secret": secret},
                )
            upgrade(revision="0005_staff_security")
            with _db.engine.connect() as connection:
                stored = connection.execute(select).scalar_one()
            assert secret not in stored
            assert _db.session.execute(sa.select(StaffUser)).scalar_one().totp_secret == secret
            _db.session.remove()
            downgrade(revision="0004_reports")
            with _db.engine.connect() as connection:
                assert connection.execute(select).scalar_one() == secret
            _db.engine.dispose()
    finally:
        drop()
