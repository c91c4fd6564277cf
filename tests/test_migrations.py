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


LANDED = "edf7874705e0"  # the schema of the last release before the 2026-11-27 migrations


def test_upgrade_keeps_a_populated_database(scratch_url):
    """A database with questionnaires in it upgrades: on SQLite a batch migration rebuilds
    tables that other rows point at, which failed with foreign keys on."""
    scratch = create_app("test", SQLALCHEMY_DATABASE_URI=scratch_url)
    now = "2017-01-10 10:00:00+00:00"
    with scratch.app_context():
        upgrade(revision=LANDED)
        with _db.engine.begin() as conn:
            conn.execute(text("INSERT INTO regions (id, code, name, created_at) "
                              "VALUES (1, 'nord', 'Nord', :now)"), {"now": now})
            conn.execute(text(
                "INSERT INTO cycles (id, region_id, title, first_year, last_year, state, "
                "description, created_at, version_id) VALUES (1, 1, 'R', 2018, 2018, 'open', "
                "'', :now, 1)"), {"now": now})
            conn.execute(text(
                "INSERT INTO milestones (id, cycle_id, kind, title, ends_at, place, description, "
                "audience, is_public, version_id) VALUES (1, 1, 'questionnaire', 'Skema', :now, "
                "'', '', '[]', true, 1)"), {"now": now})
            conn.execute(text(
                "INSERT INTO questionnaires (id, cycle_id, milestone_id, title, intro, "
                "created_at, version_id) VALUES (1, 1, 1, 'Kapacitet', '', :now, 1)"),
                {"now": now})
            conn.execute(text(
                "INSERT INTO questionnaire_sections (id, questionnaire_id, position, title, "
                "description) VALUES (1, 1, 1, 'Afsnit', '')"))
            conn.execute(text(
                "INSERT INTO questions (id, questionnaire_id, section_id, position, key, type, "
                "label, help_text, required, config) VALUES (1, 1, 1, 1, 'pladser', 'integer', "
                "'Pladser', '', false, '{}')"))
        upgrade()
        with _db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_id FROM questions")).scalar() == 1
            assert conn.execute(text(
                "SELECT version_id FROM questionnaire_sections")).scalar() == 1
            if _db.engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert _diff(_db.engine) == []
        _db.engine.dispose()
