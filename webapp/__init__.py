"""Aftalehjul: the application factory."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Config as FlaskConfig
from flask import Flask, Response, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from config import DEV_SECRET_KEY, INSTANCE_DIR, get_config

from . import extensions, i18n, revision
from .clock import Clock, parse_fixed_now
from .extensions import babel, csrf, db, login_manager, migrate
from .routing import BoundedIntConverter

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def _shipped_dir(name: str) -> Path:
    """templates/ or migrations/: inside the package when installed from the wheel, beside it
    in the checkout (also under `pip install -e .`, where webapp/ is the checkout's own)."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_DIR / name


TEMPLATES_DIR = _shipped_dir("templates")
MIGRATIONS_DIR = _shipped_dir("migrations")

# How long a statement waits for a lock held by another connection before "database is locked".
SQLITE_BUSY_TIMEOUT_SECONDS = 5.0


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        # Foreign keys are off by default in SQLite. Disabling pysqlite's own transaction
        # handling lets SQLAlchemy emit BEGIN itself, which makes SAVEPOINT work.
        dbapi_connection.isolation_level = None
        # SQLite's lower() knows only ASCII; Danish names need Æ, Ø and Å folded too.
        dbapi_connection.create_function(
            "lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True
        )
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
        # WAL: readers and the one writer no longer block each other, so read pages run beside
        # a save. The mode is stored in the file; an in-memory database has no file to switch.
        main_file = next((row[2] for row in cursor.execute("PRAGMA database_list")
                          if row[1] == "main"), "")
        if main_file:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


# Requests with these methods only read (docs/ARCHITECTURE.md: reading never writes).
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # A transaction that reads and then writes must take the write lock up front, or two
        # of them deadlock on the lock upgrade (SQLite answers "database is locked" at once,
        # whatever the busy timeout): jobs ask for it (`begin_write`), and so does every
        # transaction of a request that may write. A reading request begins deferred and, with
        # WAL, reads beside the writer instead of queueing for the one write lock.
        immediate = conn.get_execution_options().get("sqlite_immediate") or _writing_request()
        if not immediate:
            conn.exec_driver_sql("BEGIN")
        elif not _begin_immediate_waiting(conn.connection.dbapi_connection):
            # Still locked after the whole wait: one last try, which fails the usual way.
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _writing_request() -> bool:
    return has_request_context() and request.method not in READING_METHODS


def _begin_immediate_waiting(dbapi_connection: Any) -> bool:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of a few milliseconds. SQLite's own
    busy handler sleeps up to 100 ms between tries, so a waiter can miss every short gap
    between another worker's write transactions (a login holds the lock for its password hash)
    and fail after the timeout while the lock was free many times over."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return False
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_SECONDS
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while time.monotonic() < deadline:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return True
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:  # the primary code
                    raise
            time.sleep(0.002)
        return False
    finally:
        dbapi_connection.execute(
            f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")


def _check_production(config: FlaskConfig) -> None:
    if config["APP_ENV"] != "production":
        return
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY mangler: sæt miljøvariablen SECRET_KEY til en lang tilfældig værdi, "
            "før Aftalehjul startes i produktion (APP_ENV=production)."
        )


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        instance_path=str(INSTANCE_DIR),
    )
    # Before any route is added: every `<int:…>` only matches ids a table can hold.
    app.url_map.converters["int"] = BoundedIntConverter
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    _check_production(app.config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented `app.wsgi_app = ...`, by name: mypy refuses any assignment to a
        # method (python/mypy#2427), and the instance attribute shadows the method all the same.
        setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))  # noqa: B010

    db.init_app(app)
    revision.install()  # every commit that wrote renews the token the caches key on
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    extensions.mail.init_app(app)  # `webapp.mail` is the module that sends e-mail
    babel.init_app(app, locale_selector=lambda: i18n.LOCALE,
                   timezone_selector=lambda: "Europe/Copenhagen")
    i18n.load(app)  # after Flask-Babel: Jinja's texts come from the catalogue loaded once
    _init_login(app)
    app.extensions["clock"] = Clock(parse_fixed_now(app.config.get("FIXED_NOW", "")))

    from . import formatting

    formatting.register(app)

    from .api import bp as api_bp
    from .views import (
        admin,
        agreements,
        auth,
        cycles,
        errors,
        imports,
        main,
        profile,
        questionnaires,
        reminders,
    )

    app.register_blueprint(auth.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(cycles.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(profile.bp)
    for blueprint in questionnaires.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(reminders.bp)
    from .views.consultations import responses as consultation_responses

    consultation_responses.register(app)
    app.register_blueprint(agreements.bp)
    from .views.consultations import setup as consultation_setup

    app.register_blueprint(consultation_setup.bp)
    from .views.consultations import processing as consultation_processing

    app.register_blueprint(consultation_processing.bp)
    from .views.approvals import records as approval_records

    app.register_blueprint(approval_records.bp)
    from .views.approvals import overview as approval_overview
    from .views.approvals import public as approval_public

    app.register_blueprint(approval_overview.bp)
    app.register_blueprint(approval_public.bp)
    from .views.workshops import overview as _workshop_overview  # noqa: F401  (its routes)
    from .views.workshops import setup as workshop_setup
    from .views.workshops import signup as workshop_signup

    app.register_blueprint(workshop_setup.bp)
    app.register_blueprint(workshop_signup.bp)
    from .views.workshops import input as workshop_input

    app.register_blueprint(workshop_input.bp)
    from .views.boards import results as board_results

    app.register_blueprint(board_results.bp)
    from .views import focus_areas

    app.register_blueprint(focus_areas.bp)
    app.register_blueprint(focus_areas.public_bp)
    from .views.theme_days import bp as theme_days_bp

    app.register_blueprint(theme_days_bp)
    from .views.boards import scoring as board_scoring

    app.register_blueprint(board_scoring.bp)
    from .views.boards import setup as board_setup

    app.register_blueprint(board_setup.bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # read-only, token or session; no state-changing routes
    errors.register(app)

    from . import cli, templating

    cli.register(app)
    templating.register(app)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        # Secure cookies mean HTTPS only; the browser must never try plain HTTP again.
        if app.config["APP_ENV"] == "production" or app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def _init_login(app: Flask) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from .i18n import lazy_gettext as _l
    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log ind for at se siden.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    # A kept page is answered before the person is loaded (views/common.answer_kept).
    from .views.common import answer_kept

    app.before_request(answer_kept)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        raw_id, _, nonce = user_id.partition(".")
        if not (raw_id.isascii() and raw_id.isdigit()) or not nonce:
            return None
        row = db.session.execute(
            # One query for the person, the organisation, the roles and the data revision's
            # token (which the page's caches then need not ask for): every page pays it.
            select(User, revision.token_query())
            .where(User.id == int(raw_id))
            .options(joinedload(User.organisation), joinedload(User.grants))
        ).unique().first()
        if row is None:
            return None
        user, token = row
        revision.remember(token)
        if user is None or user.session_nonce != nonce or not user.is_active:
            return None
        return user
