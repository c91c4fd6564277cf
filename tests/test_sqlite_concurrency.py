"""SQLite, the embedded default, under concurrent writers: real worker processes on one file.

Two server processes (like `gunicorn -w 2`, each threaded) serve the app from the same scratch
SQLite file, and eight people of four municipalities (two per organisation) log in, read the
dashboard and the answer form and save drafts in a loop. Nothing may answer 500 ("database is
locked"), and every save the server confirmed must be in the database; two people saving the
same draft at once get the ordinary edit conflict (409), never a lost save.

It always runs on its own SQLite file, whatever TEST_DATABASE_URL says: the behaviour under test
is SQLite's locking, which PostgreSQL does not share.
"""

from __future__ import annotations

import http.client
import logging
import multiprocessing
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, func, select, text

from webapp import SQLITE_BUSY_TIMEOUT_SECONDS, create_app
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    CycleState,
    MilestoneKind,
    OrgKind,
    QuestionnaireResponse,
    QuestionType,
    Region,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.workflows import accounts, organisations
from webapp.workflows import cycles as cycle_flow
from webapp.workflows.questionnaires import builder as build

WORKERS = 2
ORGANISATIONS = 4
PEOPLE_PER_ORGANISATION = 2
SECONDS = 6.0
PASSWORD = "korrekt-hest-batteri"
FIXED_NOW = "2017-03-15T10:00:00"  # Copenhagen time; the questionnaire is open
SETUP_AT = datetime(2017, 1, 2, 9, 0, tzinfo=UTC)


def _settings(url: str) -> dict[str, Any]:
    # The production error path (the Danish 500 page, the error logged), not the test's re-raise.
    return {"SQLALCHEMY_DATABASE_URI": url, "FIXED_NOW": FIXED_NOW,
            "PROPAGATE_EXCEPTIONS": False}


def _serve(url: str, log_path: str, ports: Any, stop: Any) -> None:
    """A worker process: the app against the shared file, served on a free loopback port."""
    from werkzeug.serving import make_server

    logging.basicConfig(filename=log_path, level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # errors only, not every request
    app = create_app("test", **_settings(url))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ports.put(server.port)
    stop.wait()
    server.shutdown()


def _seed(url: str) -> tuple[int, list[tuple[str, int]]]:
    """The schema by migrations, then a region like the demo's through the workflows: a
    secretariat, municipalities with two respondents each, an open cycle and a questionnaire
    sent to them. Returns the questionnaire's id and every respondent's (e-mail, org id)."""
    app = create_app("test", **_settings(url))
    with app.app_context():
        upgrade()
        region = Region(code="nord", name="Region Nord", created_at=SETUP_AT)
        db.session.add(region)
        db.session.flush()
        secretariat_org = organisations.create_organisation(
            SYSTEM, region_id=region.id, kind=OrgKind.SECRETARIAT, name="Sekretariatet",
            now=SETUP_AT)
        secretary = accounts.create_user(
            SYSTEM, email="sekretariat@nord.example", name="Sekretær", roles=[Role.SECRETARIAT],
            organisation=secretariat_org, password=PASSWORD, now=SETUP_AT)
        people = []
        for n in range(1, ORGANISATIONS + 1):
            org = organisations.create_organisation(
                SYSTEM, region_id=region.id, kind=OrgKind.MUNICIPALITY, name=f"Kommune {n}",
                council_name=f"Kommune {n} Byråd", now=SETUP_AT)
            for p in range(1, PEOPLE_PER_ORGANISATION + 1):
                email = f"person{p}@kommune{n}.example"
                accounts.create_user(SYSTEM, email=email, name=f"Person {p} i kommune {n}",
                                     organisation=org, roles=[Role.RESPONDENT],
                                     password=PASSWORD, now=SETUP_AT)
                people.append((email, org.id))
        cycle = cycle_flow.create_cycle(secretary, region_id=region.id, title="Rammeaftale 2018",
                                        first_year=2018, last_year=2018, now=SETUP_AT)
        milestone = cycle_flow.add_milestone(secretary, cycle, cycle_flow.MilestoneData(
            kind=MilestoneKind.QUESTIONNAIRE, title="Kapacitet (frist)",
            starts_at=datetime(2017, 3, 1, 7, 0, tzinfo=UTC),
            ends_at=datetime(2017, 5, 1, 10, 0, tzinfo=UTC), audience=["respondent"],
        ), now=SETUP_AT)
        cycle_flow.set_cycle_state(secretary, cycle, CycleState.OPEN, now=SETUP_AT)
        questionnaire = build.create_questionnaire(secretary, cycle, milestone=milestone,
                                                   title="Kapacitet", now=SETUP_AT)
        section = build.add_section(secretary, questionnaire, title="Om besvarelsen",
                                    now=SETUP_AT)
        build.add_question(secretary, questionnaire, section, type=QuestionType.SHORT_TEXT,
                           key="kontaktperson", label="Kontaktperson", now=SETUP_AT)
        build.add_question(secretary, questionnaire, section, type=QuestionType.INTEGER,
                           key="pladser", label="Antal pladser i alt",
                           config={"min": 0, "max": 1_000_000}, now=SETUP_AT)
        db.session.commit()
        questionnaire_id = questionnaire.id
        db.session.remove()
        db.engine.dispose()
    return questionnaire_id, people


class Browser:
    """One person's browser: a cookie jar over http.client, redirects not followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str,
                form: dict[str, str] | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"User-Agent": "load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()


@dataclass
class Tally:
    """What the clients saw; shared by the client threads under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    saved: dict[int, list[str]] = field(default_factory=dict)  # org id -> confirmed values

    def note(self, what: str, status: int, expected: set[int], text: str) -> bool:
        with self.lock:
            self.statuses[(what, status)] += 1
            if status not in expected:
                excerpt = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:200]
                self.failures.append(f"{what}: {status} {excerpt}")
        return status in expected


VERSION = re.compile(r'name="version" value="(\d*)"')


def _person(port: int, email: str, org_id: int, questionnaire_id: int, deadline: float,
            tally: Tally) -> None:
    browser = Browser(port)
    status, text = browser.request("POST", "/login", {"email": email, "password": PASSWORD})
    if not tally.note("login", status, {302}, text):
        return
    status, text = browser.request("GET", "/oversigt")
    tally.note("dashboard", status, {200}, text)
    form_path = f"/skemaer/{questionnaire_id}/besvar"
    n = 0
    while time.monotonic() < deadline:
        status, text = browser.request("GET", form_path)
        if not tally.note("answer form", status, {200}, text):
            continue
        found = VERSION.search(text)
        version = found.group(1) if found else ""
        n += 1
        value = f"{email} gemmer nr. {n}"
        status, text = browser.request("POST", form_path, {
            "version": version, "action": "save", "q_kontaktperson": value,
            "q_pladser": str(n)})
        # 302: saved (post/redirect/get); 409: the other person saved first, an edit conflict.
        if tally.note("save", status, {302, 409}, text) and status == 302:
            with tally.lock:
                tally.saved.setdefault(org_id, []).append(value)


@dataclass
class Site:
    questionnaire_id: int
    people: list[tuple[str, int]]
    ports: list[int]
    log_path: Path
    url: str


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The seeded scratch file, served by WORKERS fresh interpreters (spawned, as gunicorn's
    workers are separate processes), each with its own engine on the same file."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    log_path = tmp_path / "workers.log"
    questionnaire_id, people = _seed(url)
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    stop = context.Event()
    processes = [context.Process(target=_serve, args=(url, str(log_path), ports, stop))
                 for _ in range(WORKERS)]
    try:
        for process in processes:
            process.start()
        yield Site(questionnaire_id, people, [ports.get(timeout=60) for _ in processes],
                   log_path, url)
    finally:
        stop.set()
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
                process.join(5)


def test_concurrent_logins_and_draft_saves_on_sqlite(site: Site) -> None:
    questionnaire_id, people, ports, url = site.questionnaire_id, site.people, site.ports, site.url
    tally = Tally()
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=_person, args=(ports[i % len(ports)], email, org_id,
                                                      questionnaire_id, deadline, tally))
               for i, (email, org_id) in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 60)

    log = site.log_path.read_text() if site.log_path.exists() else ""
    seen = {f"{what} {status}": count for (what, status), count in sorted(tally.statuses.items())}
    assert "database is locked" not in log, (log.count("database is locked"), seen, log[-2000:])
    assert not tally.failures, (tally.failures[:10], seen)
    assert tally.statuses[("login", 302)] == len(people)
    assert sum(len(v) for v in tally.saved.values()) >= len(people), seen

    # Every save the server confirmed is in the database: one version and one audit event per
    # confirmed save, and the stored answer is one of them (the last one committed).
    app = create_app("test", **_settings(url))
    with app.app_context():
        for org_id, values in tally.saved.items():
            response = db.session.scalar(select(QuestionnaireResponse).where(
                QuestionnaireResponse.questionnaire_id == questionnaire_id,
                QuestionnaireResponse.organisation_id == org_id))
            assert response is not None
            saves = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
                AuditEvent.action == "response.saved",
                AuditEvent.object_id == response.id))
            assert (response.version_id, saves) == (len(values), len(values)), org_id
            assert response.answers["kontaktperson"] in values
        db.session.remove()
        db.engine.dispose()



def test_writing_requests_take_the_write_lock_up_front_and_reading_ones_do_not(
        tmp_path: Path) -> None:
    """How the test above is passed: WAL on a file, BEGIN IMMEDIATE for a request that may
    write (anything but GET, HEAD, OPTIONS), a deferred BEGIN for one that only reads, so read
    pages do not queue for the one write lock."""
    url = f"sqlite:///{tmp_path / 'modes.db'}"
    _seed(url)
    app = create_app("test", **_settings(url))
    begins: list[str] = []
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
        db.engine.dispose()

        def trace(dbapi_connection: Any, record: Any) -> None:
            # Every statement SQLite runs, also those sent past SQLAlchemy.
            dbapi_connection.set_trace_callback(
                lambda sql: begins.append(sql) if sql.startswith("BEGIN") else None)

        event.listen(db.engine, "connect", trace)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert begins == ["BEGIN"]
    response = client.post("/login", data={"email": "person1@kommune1.example",
                                           "password": "forkert"})
    assert response.status_code == 422  # refused, and the failed attempt is stored
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]
    with app.app_context():
        db.engine.dispose()

    memory = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://")
    with memory.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "memory"
        db.session.remove()


def test_a_writing_request_waits_for_the_write_lock_another_connection_holds(
        tmp_path: Path) -> None:
    """The wait for the write lock is ours (short steps, not SQLite's 100 ms sleeps); the
    connection keeps its busy timeout for everything else."""
    path = tmp_path / "held.db"
    url = f"sqlite:///{path}"
    _seed(url)
    app = create_app("test", **_settings(url))
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.5, other.commit)
    releaser.start()
    try:
        started = time.monotonic()
        response = app.test_client().post("/login", data={"email": "person1@kommune1.example",
                                                          "password": "forkert"})
        waited = time.monotonic() - started
    finally:
        releaser.join()
        other.close()
    assert response.status_code == 422
    assert 0.4 < waited < SQLITE_BUSY_TIMEOUT_SECONDS
    with app.app_context():
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.session.remove()
        db.engine.dispose()
