"""The migrations and the models agree, and every migration can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from webapp import create_app
from webapp.extensions import db as _db


def _diff(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, _db.metadata)


def test_models_match_migrations(app):
    with app.app_context():
        assert _diff(_db.engine) == []


def test_upgrade_downgrade_upgrade(scratch_url):
    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=scratch_url)
    with scratch.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.connect() as conn:  # never touch the suite's own schema
                assert conn.execute(text("SELECT current_schema()")).scalar().startswith("scratch_")
        upgrade()
        tables = set(inspect(_db.engine).get_table_names())
        assert {"regions", "organisations", "users", "cycles", "milestones",
                "audit_events", "outbound_emails"} <= tables
        assert _diff(_db.engine) == []
        downgrade(revision="base")
        assert set(inspect(_db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diff(_db.engine) == []
        _db.engine.dispose()
