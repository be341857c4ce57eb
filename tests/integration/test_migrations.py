"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from portal.extensions import db as _db


def test_models_and_migrations_agree(db):
    with _db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, _db.metadata)
    assert differences == [], f"models differ from migrations: {differences}"
