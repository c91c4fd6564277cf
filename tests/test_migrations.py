"""The migrations and the models agree, and every migration can be undone."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from config import normalise_database_url
from webapp import create_app
from webapp.extensions import db as _db


def _diff(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, _db.metadata)


def test_models_match_migrations(app):
    with app.app_context():
        assert _diff(_db.engine) == []


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the same kind as the suite's: a file, or a fresh PostgreSQL schema."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    url = normalise_database_url(url)
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_downgrade_upgrade(scratch_url):
    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=scratch_url)
    with scratch.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.connect() as conn:  # never touch the suite's own schema
                assert conn.execute(text("SELECT current_schema()")).scalar().startswith("mig_")
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
