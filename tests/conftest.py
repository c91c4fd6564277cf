"""Fixtures: app, db (each test in a rolled-back transaction), client, login_as, clock, queries.

The database is SQLite in a temporary file, or PostgreSQL when TEST_DATABASE_URL is set. The
schema is built by running the Alembic migrations, so every test run also proves they work.
"""

from __future__ import annotations

import contextvars
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import has_request_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session, scoped_session

from config import normalise_database_url
from tests import factories
from tests.mailserver import SMTPServer
from webapp import create_app, revision
from webapp.extensions import db as _db
from webapp.models import OrgKind, Role


def database_url(tmp_dir: Any) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_dir / 'test.db'}"


def reset_database(app: Any) -> None:
    """Start from nothing: drop every table (and Alembic's version table)."""
    engine = _db.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = engine.url.database
        engine.dispose()
        # WAL's side files too: a stale -wal beside a new file would be replayed into it.
        for name in (path, f"{path}-wal", f"{path}-shm") if path else ():
            if os.path.exists(name):
                os.remove(name)


def truncate_all() -> None:
    """Remove committed rows (browser tests commit for real). The data revision's one row stays
    and gets a new token: what the caches kept is gone with the rows."""
    tables = [t.name for t in reversed(_db.metadata.sorted_tables) if t.name != "data_revisions"]
    with _db.engine.begin() as conn:
        conn.execute(text("UPDATE data_revisions SET token = :t"), {"t": uuid.uuid4().hex})
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: its own app context and its own
    database session (on the test's connection), never the test's identity map."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url = database_url(tmp_path_factory.mktemp("db"))
    application = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    application.test_client_class = IsolatedClient
    with application.app_context():
        reset_database(application)
        upgrade()
    yield application


class RequestLikeSession(Session):
    """Rolling back a savepoint expires only what it changed; a real rollback expires every
    object. Requests in tests must see the real behaviour, or a view that touches an expired
    object after a rollback would pass here and fail in production."""

    def rollback(self) -> None:
        super().rollback()
        if has_request_context():
            self.expire_all()


@pytest.fixture
def db(app: Any) -> Iterator[Any]:
    """Each test in one outer transaction that is rolled back; commits become savepoints."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original = _db.session
        # A plain Session: Flask-SQLAlchemy's own ignores `bind` and would open a new connection.
        # Requests expire on commit as in production; the test's own session keeps its objects
        # readable after a commit (its relationships are lazy="raise" and could not reload).
        # The sessions of one test share a connection, so each sees what another flushed and
        # has not committed: they share the note that something was written, as a request's
        # one session would have it (webapp/revision.py), and the test starts with no cache.
        shared_info: dict[Any, Any] = {}
        revision.clear()

        def make_session() -> Session:
            session = RequestLikeSession(bind=connection,
                                         join_transaction_mode="create_savepoint",
                                         expire_on_commit=has_request_context())
            session.__dict__["info"] = shared_info  # Session.info is memoized per instance
            return session

        _db.session = scoped_session(make_session, scopefunc=_app_ctx_id)
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Any, db: Any) -> Any:
    return app.test_client()


@pytest.fixture(autouse=True)
def clock(app: Any) -> Iterator[Any]:
    """The app's clock, fixed at 10.01.2017 10.00 Copenhagen time unless a test moves it."""
    the_clock = app.extensions["clock"]
    the_clock.set(factories.at(2017, 1, 10, 10, 0))
    yield the_clock
    the_clock.set(None)


def build_world() -> dict[str, Any]:
    """Two regions with an organisation and a person for every role, and a cycle each."""
    data: dict[str, Any] = {}
    for key in ("north", "mid"):
        region = factories.region(code=f"{key}-region", name=f"Region {key}")
        secretariat = factories.organisation(region, OrgKind.SECRETARIAT, f"Sekretariat {key}")
        municipality = factories.organisation(region, OrgKind.MUNICIPALITY, f"Kommune {key}")
        users = {
            Role.SECRETARIAT: factories.user(secretariat, [Role.SECRETARIAT]),
            Role.RESPONDENT: factories.user(municipality, [Role.RESPONDENT]),
            Role.STEERING_MEMBER: factories.user(municipality, [Role.STEERING_MEMBER]),
            Role.USER_ORG_REP: factories.user(
                factories.organisation(region, OrgKind.USER_ORGANISATION, f"Brugerorg {key}"),
                [Role.USER_ORG_REP]),
            Role.POLITICIAN: factories.user(municipality, [Role.POLITICIAN]),
            Role.OBSERVER: factories.user(municipality, [Role.OBSERVER]),
        }
        cycle = factories.cycle(region, title=f"Rammeaftale 2018 {key}")
        factories.milestone(cycle, factories.at(2017, 2, 6, 15, 30), title="Workshop",
                            starts_at=factories.at(2017, 2, 6, 9, 0))
        factories.milestone(cycle, factories.at(2017, 10, 15, 23, 59), title="Godkendelse",
                            audience=["politician", "secretariat"])
        data[key] = {"region": region, "municipality": municipality,
                     "secretariat_org": secretariat, "users": users, "cycle": cycle}
    _db.session.commit()
    return data


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    return build_world()


@pytest.fixture
def login_as(client: Any, world: dict[str, Any]) -> Callable[..., Any]:
    """Log in through the real login form; returns the person."""

    def _login(role: Role | Any = Role.SECRETARIAT, region: str = "north") -> Any:
        person = role if hasattr(role, "email") else world[region]["users"][role]
        response = client.post("/login", data={"email": person.email,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return person

    return _login


@pytest.fixture
def scratch_url(tmp_path: Any) -> Iterator[str]:
    """An empty database of the same kind as the suite's, for tests that run migrations or other
    processes of their own: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    url = normalise_database_url(url)
    schema = f"scratch_{uuid.uuid4().hex[:8]}"
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


@pytest.fixture
def smtp(app: Any) -> Iterator[Any]:
    """A real SMTP server on loopback (aiosmtpd), and the app set to send to it. The test may
    stop and start it, make it refuse (`inbox.refuse`) or stall (`inbox.hang` seconds)."""
    server = SMTPServer()
    server.start()
    keys = ("MAIL_SUPPRESS_SEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT_SECONDS")
    saved = {k: app.config[k] for k in keys}
    app.config.update(MAIL_SUPPRESS_SEND=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port,
                      MAIL_TIMEOUT_SECONDS=2)
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


IGNORED = re.compile(r"^\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.I)


@pytest.fixture
def queries(app: Any, db: Any) -> Callable[..., Any]:
    """`with queries() as q: ...` counts the SQL statements run (transaction control excluded).

    It measures the computing path: what the caches keep (webapp/revision.py) is forgotten
    first, so a page's count is what it costs when its data has just changed. `kept=True`
    measures the path through the caches instead."""

    @contextmanager
    def _count(kept: bool = False) -> Iterator[QueryCounter]:
        if not kept:
            revision.clear()
        counter = QueryCounter()
        engine = _db.engine

        def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            if not IGNORED.match(statement):
                counter.statements.append(statement)

        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return _count


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI nothing may be skipped silently: a skipped test fails the run."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        if reporter:
            reporter.write_line(f"CI: {skipped} test(s) skipped; under CI every test must run.",
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
