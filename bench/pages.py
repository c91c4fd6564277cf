"""Benchmark: the key pages' throughput as a share of the bare framework's, on PostgreSQL.

For each data set (the Nordjylland demo and the national set of `flask seed-national`) it
serves Aftalehjul under gunicorn (2 sync workers) and, in the same run and under the same
settings, the bare Flask application of bench/bare_app.py that answers one SQL query (the
floor). It logs in as the roles the pages need, drives every key page with `wrk` (1 thread,
4 connections, a fixed time) and prints per page: requests per second, the share of the floor,
median and 99th-percentile latency, and the SQL statements one request runs (counted in-process
with the test client on the same database). A benchmark measures; it never fails on time.

    .venv/bin/python bench/pages.py [--data demo,national] [--seconds 6] [--setup]

`--setup` (re)creates the databases bench_demo and bench_national on the server of
--server-url and loads them; without it they are loaded only when they are missing.
Needs `wrk` (Debian: apt-get install wrk) and gunicorn (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
NOW = "2017-04-20T10:00"  # the demo clock; the national set's open cycle is at the same point
PASSWORD = "Aftalehjul-demo-2018"
# The region each data set is measured in: the national set's largest (29 municipalities).
REGION = {"demo": "nordjylland", "national": "hovedstaden"}
# The session is bound to the client (Flask-Login's strong protection): log in and drive the
# pages with the same User-Agent.
USER_AGENT = "aftalehjul-bench"


@dataclass
class Page:
    name: str
    role: str  # "anon", "secretariat", "respondent", "respondent_empty", "invitee", …
    path: str


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    queries: str | None = None
    share: float = 0.0
    size: int = 0  # bytes of one answer's body


@dataclass
class Targets:
    """The ids and people the pages of one data set need."""

    emails: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    optional: dict[str, int | None] = field(default_factory=dict)


def pages(t: Targets) -> list[Page]:
    i = t.ids
    q = i["questionnaire"]
    return [
        Page("/healthz", "anon", "/healthz"),
        Page("login", "anon", "/login"),
        Page("dashboard, respondent", "respondent", "/oversigt"),
        Page("dashboard, secretariat", "secretariat", "/oversigt"),
        Page("cycle page", "secretariat", f"/cykler/{i['cycle']}"),
        Page("status board", "secretariat", f"/skemaer/{q}/status"),
        Page("answer form, empty", "respondent_empty", f"/skemaer/{q}/besvar"),
        Page("answer form, filled", "respondent", f"/skemaer/{q}/besvar"),
        Page("results", "secretariat", f"/skemaer/{q}/resultater"),
        Page("printable response", "secretariat", f"/skemaer/{q}/besvarelser/{i['submitted_org']}"),
        Page("CSV export", "secretariat", f"/skemaer/{q}/eksport.csv"),
        Page("XLSX export", "secretariat", f"/skemaer/{q}/eksport.xlsx"),
        Page("reminder rules", "secretariat",
             f"/cykler/{i['cycle']}/milepaele/{i['milestone']}/paamindelser"),
        Page("e-mail log", "secretariat", "/admin/e-mails"),
        Page("audit log", "secretariat", "/admin/log"),
        Page("people", "secretariat", "/admin/personer"),
        Page("API cycle", "secretariat", f"/api/v1/cycles/{i['cycle']}"),
        Page("API status", "secretariat", f"/api/v1/questionnaires/{q}/status"),
        Page("cycle calendar feed", "anon", f"/kalender/cyklus/{i['cycle']}.ics"),
        Page("consultations of the cycle", "secretariat", f"/cykler/{i['cycle']}/hoeringer"),
        # Issue 11's pages: measured when the data set holds a consultation with a submitted
        # response and the consulted text has a next version (the demo; not the national set).
        *(_consultation_pages(i) if t.optional.get("consultation") else []),
        # Issue 12's pages: when the 2018 cycle has an approval round (the demo's story).
        *(_approval_pages(t.optional["approval_cycle"])
          if t.optional.get("approval_cycle") else []),
        # Issue 13's sign-up pages: measured when the data set holds a workshop with an
        # invited person (the demo's workshop story).
        *(_workshop_pages(i) if t.optional.get("workshop") else []),
        # Issue 13's input pages: when a workshop of the cycle holds input.
        *(_workshop_input_pages(i) if t.optional.get("workshop_input") else []),
        # Issue 14's board result: when the cycle has a closed or published board.
        *(_board_result_pages(t.optional["board"], i["cycle"])
          if t.optional.get("board") else []),
        # Issue 14's focus areas: when the cycle has focus areas (the demo's story).
        *(_focus_pages(i) if t.optional.get("focus_initiative") else []),
        # Issue 14's theme day: when the cycle has one (the demo's story, once seeded).
        *(_theme_day_pages(t.optional["theme_day"]) if t.optional.get("theme_day") else []),
        # Issue 14's scoring pages: when the cycle has a prioritisation board with a member
        # (the demo's board).
        *(_board_scoring_pages(i) if t.optional.get("scoring_board") else []),
        # Issue 14's prioritisation board (setup): when the cycle has a board (the demo's).
        *(_board_setup_pages(i) if t.optional.get("setup_board") else []),
    ]


def _board_result_pages(board: int | None, cycle: int) -> list[Page]:
    return [
        Page("board result", "secretariat", f"/prioritering/{board}/resultat"),
        Page("board result XLSX", "secretariat", f"/prioritering/{board}/resultat.xlsx"),
        Page("board scores XLSX", "secretariat", f"/prioritering/{board}/scorer.xlsx"),
        Page("API board results", "secretariat", f"/api/v1/boards/{board}/results"),
        Page("API boards of the cycle", "secretariat", f"/api/v1/cycles/{cycle}/boards"),
    ]


def _focus_pages(i: dict[str, int]) -> list[Page]:
    c = i["cycle"]
    return [
        Page("focus areas", "secretariat", f"/cykler/{c}/fokusomraader"),
        Page("focus areas public page", "anon", f"/offentlig/cykler/{c}/fokusomraader"),
        Page("API focus areas", "anon", f"/api/v1/cycles/{c}/focus-areas"),
        Page("initiative status", "secretariat", f"/initiativer/{i['focus_initiative']}/status"),
    ]


def _theme_day_pages(day: int | None) -> list[Page]:
    return [
        Page("theme day catalogue", "secretariat", f"/temadage/{day}"),
        Page("theme day catalogue DOCX", "secretariat", f"/temadage/{day}/katalog.docx"),
        Page("theme day vote", "secretariat", f"/temadage/{day}/stem"),
        # The projector's page and the JSON its script asks for: the target is half the floor.
        Page("theme day tally", "secretariat", f"/temadage/{day}/optaelling"),
        Page("theme day tally JSON", "secretariat", f"/temadage/{day}/optaelling.json"),
    ]


def _board_scoring_pages(i: dict[str, int]) -> list[Page]:
    b = i["scoring_board"]
    return [
        Page("board scoring overview", "board_member", f"/prioritering/{b}/scoring"),
        Page("board scoring, one theme", "board_member",
             f"/prioritering/{b}/scoring/{i['board_theme']}"),
    ]


def _board_setup_pages(i: dict[str, int]) -> list[Page]:
    b = i["setup_board"]
    return [
        Page("prioritisation boards of the cycle", "secretariat",
             f"/cykler/{i['cycle']}/prioritering"),
        Page("prioritisation board", "secretariat", f"/prioritering/{b}"),
        Page("prioritisation board members", "secretariat", f"/prioritering/{b}/medlemmer"),
    ]


def _approval_pages(cycle: int | None) -> list[Page]:
    return [
        Page("approvals overview", "secretariat", f"/cykler/{cycle}/godkendelser"),
        # The one page anyone loads without logging in: the target is half the floor.
        Page("approvals public page", "anon", f"/offentlig/cykler/{cycle}/godkendelser"),
        Page("approvals XLSX export", "secretariat", f"/cykler/{cycle}/godkendelser.xlsx"),
        Page("API approvals", "secretariat", f"/api/v1/cycles/{cycle}/approvals"),
    ]


def _workshop_pages(i: dict[str, int]) -> list[Page]:
    w = i["workshop"]
    return [
        Page("workshops of the cycle", "secretariat", f"/cykler/{i['cycle']}/workshops"),
        Page("workshop overview", "secretariat", f"/workshops/{w}"),
        Page("workshop theme", "secretariat", f"/workshops/{w}/temaer/{i['workshop_theme']}"),
        Page("workshop name lists", "secretariat", f"/workshops/{w}/navnelister"),
        Page("workshop XLSX", "secretariat", f"/workshops/{w}/tilmeldinger.xlsx"),
        Page("API workshop", "secretariat", f"/api/v1/workshops/{w}"),
        Page("workshop sign-up", "invitee", f"/workshops/{w}/tilmelding"),
    ]


def _workshop_input_pages(i: dict[str, int]) -> list[Page]:
    w, theme = i["workshop_input"], i["workshop_input_theme"]
    return [
        Page("workshop input, one theme", "secretariat", f"/workshops/{w}/temaer/{theme}/input"),
        Page("workshop input, all themes", "secretariat", f"/workshops/{w}/input"),
        Page("workshop input DOCX", "secretariat", f"/workshops/{w}/input.docx"),
        Page("workshop input XLSX", "secretariat", f"/workshops/{w}/input.xlsx"),
        Page("prioritisation list", "secretariat", f"/workshops/{w}/temaliste"),
    ]


def _consultation_pages(i: dict[str, int]) -> list[Page]:
    c, text = i["consultation"], i["agreement_text"]
    return [
        Page("consultation page", "secretariat", f"/hoeringer/{c}"),
        Page("API consultation", "secretariat", f"/api/v1/consultations/{c}"),
        Page("processing list", "secretariat", f"/hoeringer/{c}/behandling"),
        Page("processing form", "secretariat", f"/hoeringssvar/{i['consultation_response']}"
             "/behandling"),
        Page("consultation note", "secretariat", f"/hoeringer/{c}/hoeringsnotat"),
        Page("text version", "secretariat", f"/versioner/{i['consulted_version']}"),
        Page("compare versions", "secretariat", f"/tekster/{text}/sammenlign"
             f"?fra={i['consulted_version']}&til={i['next_version']}"),
    ]


# -- the databases -------------------------------------------------------------------------------

def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "AFTALEHJUL_NOW": NOW, "APP_ENV": "production",
                "SECRET_KEY": "bench-only-secret-key-0123456789abcdef",
                "SESSION_COOKIE_SECURE": "0", "MAIL_SUPPRESS_SEND": "1",
                "PYTHONPATH": str(ROOT)})
    return env


def prepare(server_url: str, name: str, setup: bool) -> str:
    """The data set's database URL, created and loaded if needed."""
    from sqlalchemy import create_engine, text

    from config import normalise_database_url

    admin = create_engine(normalise_database_url(f"{server_url}/postgres"),
                          isolation_level="AUTOCOMMIT")
    database = f"bench_{name}"
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                    {"n": database}).scalar()
        if exists and setup:
            connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
            exists = None
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    url = f"{server_url}/{database}"
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:  # a load that stopped half-way is loaded again
        loaded = connection.execute(text("SELECT to_regclass('regions') IS NOT NULL")).scalar()
        if loaded:
            loaded = connection.execute(text("SELECT count(*) > 0 FROM regions")).scalar()
    engine.dispose()
    if not loaded and exists:
        return prepare(server_url, name, True)
    flask = [str(VENV_BIN / "flask"), "--app", "webapp"]
    if loaded:  # a data set loaded by older code gets the newer migrations
        subprocess.run([*flask, "db", "upgrade"], env=_env(url), check=True, capture_output=True)
    else:
        started = time.perf_counter()
        if name == "demo":
            subprocess.run([*flask, "db", "upgrade"], env=_env(url), check=True,
                           capture_output=True)
            subprocess.run([*flask, "seed-demo"], env=_env(url), check=True,
                           capture_output=True)
        else:
            subprocess.run([*flask, "seed-national"], env=_env(url), check=True,
                           capture_output=True)
        print(f"  {database} loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def find_targets(url: str, region_code: str) -> Targets:
    """Ask the database for the region's open cycle, its questionnaire and the people."""
    from sqlalchemy import create_engine, text

    from config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    t = Targets()
    with engine.connect() as c:
        def one(sql: str, **params: Any) -> Any:
            return c.execute(text(sql), params).scalar()

        region = one("SELECT id FROM regions WHERE code = :c", c=region_code)
        t.ids["cycle"] = one("SELECT id FROM cycles WHERE region_id = :r AND state = 'open' "
                             "AND EXISTS (SELECT 1 FROM questionnaires q "
                             "WHERE q.cycle_id = cycles.id) ORDER BY id LIMIT 1", r=region)
        t.ids["questionnaire"] = one("SELECT id FROM questionnaires WHERE cycle_id = :c "
                                     "ORDER BY id LIMIT 1", c=t.ids["cycle"])
        t.ids["milestone"] = one("SELECT milestone_id FROM questionnaires WHERE id = :q",
                                 q=t.ids["questionnaire"])
        q = t.ids["questionnaire"]
        t.ids["submitted_org"] = one("SELECT organisation_id FROM responses WHERE "
                                     "questionnaire_id = :q AND state = 'submitted' "
                                     "ORDER BY id LIMIT 1", q=q)
        person = ("SELECT u.email FROM users u JOIN role_grants g ON g.user_id = u.id "
                  "WHERE g.region_id = :r AND g.role = :role ")
        t.emails["secretariat"] = one(person + "ORDER BY u.id LIMIT 1", r=region,
                                      role="secretariat")
        t.emails["respondent"] = one(
            person + "AND u.organisation_id IN (SELECT organisation_id FROM responses "
            "WHERE questionnaire_id = :q AND state = 'draft') ORDER BY u.id LIMIT 1",
            r=region, role="respondent", q=q)
        t.emails["respondent_empty"] = one(
            person + "AND u.organisation_id IN (SELECT organisation_id FROM "
            "questionnaire_recipients WHERE questionnaire_id = :q) AND u.organisation_id NOT IN "
            "(SELECT organisation_id FROM responses WHERE questionnaire_id = :q) "
            "ORDER BY u.id LIMIT 1", r=region, role="respondent", q=q)
        # An opened consultation with a submitted response with points, whose consulted
        # version has a next one (to compare with and to point the processing at).
        found = c.execute(text(
            "SELECT k.id, r.id, v.id, v.text_id, n.id FROM consultations k "
            "JOIN consultation_responses r ON r.consultation_id = k.id "
            "AND r.state = 'submitted' "
            "JOIN text_versions v ON v.id = k.text_version_id "
            "JOIN text_versions n ON n.text_id = v.text_id AND n.number = v.number + 1 "
            "WHERE k.cycle_id = :c AND k.state = 'opened' AND EXISTS (SELECT 1 FROM "
            "consultation_comments rc WHERE rc.response_id = r.id) ORDER BY k.id, r.id LIMIT 1"),
            {"c": t.ids["cycle"]}).first()
        t.optional["consultation"] = found[0] if found is not None else None
        # A workshop with a theme and a person (with a login) invited to it.
        workshop = c.execute(text(
            "SELECT w.id, t.id, u.email FROM workshops w "
            "JOIN workshop_themes t ON t.workshop_id = w.id "
            "JOIN workshop_invitees i ON i.workshop_id = w.id "
            "JOIN users u ON u.id = i.user_id "
            "WHERE w.cycle_id = :c ORDER BY w.id, t.id, i.id LIMIT 1"),
            {"c": t.ids["cycle"]}).first()
        t.optional["workshop"] = workshop[0] if workshop is not None else None
        if workshop is not None:
            t.ids["workshop"], t.ids["workshop_theme"] = workshop[0], workshop[1]
            t.emails["invitee"] = workshop[2]
        if found is not None:
            for key, value in zip(("consultation", "consultation_response",
                                   "consulted_version", "agreement_text", "next_version"),
                                  found, strict=True):
                t.ids[key] = value
        # The 2018 cycle's approval round (the demo's story writes it).
        t.optional["approval_cycle"] = one(
            "SELECT r.cycle_id FROM approval_rounds r JOIN cycles c ON c.id = r.cycle_id "
            "WHERE c.region_id = :r AND c.title LIKE 'Rammeaftale 2018%' "
            "ORDER BY r.id LIMIT 1", r=region)
        if t.optional["approval_cycle"] is None:
            print("  approvals pages skipped: the 2018 cycle has no approval round in this "
                  "data set (the demo's story writes one)", file=sys.stderr, flush=True)
        # A workshop of the cycle with input, and its theme with the most items.
        with_input = c.execute(text(
            "SELECT t.workshop_id, t.id FROM workshop_themes t JOIN workshops w "
            "ON w.id = t.workshop_id JOIN workshop_input_items i ON i.theme_id = t.id "
            "WHERE w.cycle_id = :c GROUP BY t.workshop_id, t.id "
            "ORDER BY count(i.id) DESC, t.id LIMIT 1"), {"c": t.ids["cycle"]}).first()
        t.optional["workshop_input"] = with_input[0] if with_input is not None else None
        if with_input is not None:
            t.ids["workshop_input"], t.ids["workshop_input_theme"] = with_input
        # A prioritisation board of the cycle whose result exists (closed or published).
        t.optional["board"] = one(
            "SELECT id FROM prioritisation_boards WHERE cycle_id = :c "
            "AND state IN ('closed', 'published') ORDER BY id LIMIT 1", c=t.ids["cycle"])
        # An initiative of the cycle's focus areas (issue 14).
        t.optional["focus_initiative"] = one(
            "SELECT i.id FROM focus_initiatives i JOIN focus_areas a ON a.id = i.focus_area_id "
            "WHERE a.cycle_id = :c ORDER BY a.position, i.position, i.id LIMIT 1",
            c=t.ids["cycle"])
        if t.optional["focus_initiative"] is not None:
            t.ids["focus_initiative"] = t.optional["focus_initiative"]
        # The cycle's theme day (issue 14).
        t.optional["theme_day"] = one(
            "SELECT id FROM theme_days WHERE cycle_id = :c ORDER BY id LIMIT 1", c=t.ids["cycle"])
        # A prioritisation board of the cycle with a member (with a login), and its first theme.
        board = c.execute(text(
            "SELECT b.id, t.id, u.email FROM prioritisation_boards b "
            "JOIN board_themes t ON t.board_id = b.id "
            "JOIN board_members m ON m.board_id = b.id JOIN users u ON u.id = m.user_id "
            "WHERE b.cycle_id = :c AND b.state != 'draft' "
            "ORDER BY b.id, t.position, t.id, m.id LIMIT 1"), {"c": t.ids["cycle"]}).first()
        t.optional["scoring_board"] = board[0] if board is not None else None
        if board is not None:
            t.ids["scoring_board"], t.ids["board_theme"] = board[0], board[1]
            t.emails["board_member"] = board[2]
        # The cycle's first prioritisation board (issue 14).
        t.optional["setup_board"] = one("SELECT b.id FROM prioritisation_boards b "
                                  "WHERE b.cycle_id = :c ORDER BY b.id LIMIT 1",
                                  c=t.ids["cycle"])
        if t.optional["setup_board"] is not None:
            t.ids["setup_board"] = t.optional["setup_board"]
    engine.dispose()
    missing = [k for k, v in {**t.ids, **t.emails}.items() if v is None]
    if missing:
        raise SystemExit(f"The data set lacks what the pages need: {missing}")
    return t


# -- the servers ---------------------------------------------------------------------------------

class Server:
    def __init__(self, app: str, port: int, env: dict[str, str], workers: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "--workers", str(workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
            env=env, cwd=ROOT, start_new_session=True)
        self._wait()

    def _wait(self) -> None:
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/", timeout=1):
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{self.base} did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def login(base: str, email: str) -> str:
    """Log in through the login form (with its CSRF token); the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"email": email, "password": PASSWORD}
    if token:
        data["csrf_token"] = html.unescape(token.group(1))
    try:
        opener.open(base + "/login", urllib.parse.urlencode(data).encode())
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    # A browser then opens its first page, which gives the new session its CSRF token (the
    # login starts a fresh session); wrk replays one cookie, so take it as it is after that.
    opener.open(base + "/oversigt").read()
    cookie = next((c.value for c in jar if c.name == "session"), None)
    if cookie is None or not _answers(base + "/oversigt", cookie):
        raise SystemExit(f"Could not log in as {email}")
    return cookie


def _answers(url: str, cookie: str | None) -> bool:
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError:
        return False


def drive(url: str, cookie: str | None, seconds: int, connections: int) -> tuple[float, float,
                                                                                   float, int]:
    """wrk against one URL: requests/s, median and p99 latency in ms, non-2xx answers."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-s", str(ROOT / "bench" / "status.lua"), "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Not 200:\s+(\d+)", out)
    if errors is None:
        raise SystemExit(f"wrk printed no status count:\n{out}")
    return rps, _latency(out, "50%"), _latency(out, "99%"), int(errors.group(1))


def _latency(out: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s)\b", out, re.M)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


# -- query counts --------------------------------------------------------------------------------

def count_queries(url: str, targets: Targets,
                  page_list: list[Page]) -> dict[str, tuple[str, int]]:
    """SQL statements per request of each page, in-process with the test client: computed
    afresh (as after a change) / with what the page keeps (webapp/revision.py); and the size
    of its answer in bytes."""
    from sqlalchemy import event

    from webapp import create_app, revision
    from webapp.extensions import db

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False)
    counts: dict[str, tuple[str, int]] = {}
    with app.app_context():  # only to reach the engine: each request needs its own context
        engine = db.engine
    seen = [0]

    def counter(*_: Any) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", counter)
    clients: dict[str, Any] = {}
    for role in {p.role for p in page_list}:
        client = app.test_client()
        if role != "anon":
            client.post("/login", data={"email": targets.emails[role], "password": PASSWORD})
        clients[role] = client
    for page in page_list:
        clients[page.role].get(page.path)  # warm: first-use caches are not the page's cost
        measured = []
        for forget in (True, False):  # computing (what is kept forgotten), then kept
            if forget:
                revision.clear()
            seen[0] = 0
            response = clients[page.role].get(page.path)
            if response.status_code != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
            measured.append(seen[0])
        counts[page.name] = ("{} / {}".format(*measured), len(response.data))
    event.remove(engine, "before_cursor_execute", counter)
    return counts


# -- the run -------------------------------------------------------------------------------------

def run(name: str, url: str, args: argparse.Namespace) -> tuple[float, list[Result]]:
    targets = find_targets(url, REGION[name])
    page_list = [p for p in pages(targets)
                 if not args.only or any(p.name.startswith(o) for o in args.only)]
    # In a process of its own: the settings are read from the environment at import.
    out = subprocess.run([sys.executable, __file__, "--count-queries", name, url],
                         env=_env(url), capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    queries = json.loads(out.stdout.strip().splitlines()[-1])
    env = _env(url)
    floor_server = Server("bench.bare_app:app", args.port, env, args.workers)
    app_server = Server("webapp:create_app()", args.port + 1, env, args.workers)
    try:
        floor = drive(floor_server.base + "/", None, args.seconds, args.connections)
        cookies = {role: login(app_server.base, email) for role, email in targets.emails.items()}
        cookies["anon"] = ""
        results = []
        for page in page_list:
            url_ = app_server.base + page.path
            if not _answers(url_, cookies[page.role] or None):
                raise SystemExit(f"{page.name}: {page.path} does not answer 200")
            rps, p50, p99, errors = drive(url_, cookies[page.role] or None, args.seconds,
                                          args.connections)
            counted, size = queries[page.name]
            results.append(Result(page, rps, p50, p99, errors, counted, rps / floor[0], size))
            print(f"  {page.name}: {rps:.0f}/s", flush=True)
    finally:
        app_server.stop()
        floor_server.stop()
    print_table(name, floor, results)
    return floor[0], results


def print_table(name: str, floor: tuple[float, float, float, int], results: list[Result]) -> None:
    print(f"\n### {name} ({REGION[name]})\n")
    print("| page | requests/s | share of the floor | median ms | p99 ms | "
          "SQL/request: computed / kept | KB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| bare Flask + 1 query (floor) | {floor[0]:,.0f} | 100 % | {floor[1]:.1f} | "
          f"{floor[2]:.1f} | 1 / 1 | 0 |")
    for r in results:
        flag = f" ({r.errors} answers not 200)" if r.errors else ""
        print(f"| {r.page.name}{flag} | {r.rps:,.0f} | {r.share:.0%} | {r.p50_ms:.1f} | "
              f"{r.p99_ms:.1f} | {r.queries} | {r.size / 1000:,.0f} |".replace("%", " %"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="demo,national")
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--only", type=lambda v: set(v.split(",")), default=set(),
                        help="only the pages whose names (as the table has them) begin so, "
                        "comma-separated: --only 'results,answer form'")
    parser.add_argument("--count-queries", nargs=2, metavar=("DATA", "URL"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_queries:
        name, url = args.count_queries
        targets = find_targets(url, REGION[name])
        print(json.dumps(count_queries(url, targets, pages(targets))))
        return
    for tool in ("wrk",):
        if shutil.which(tool) is None:
            raise SystemExit("wrk is missing: apt-get install wrk")
    if not (VENV_BIN / "gunicorn").exists():
        raise SystemExit("gunicorn is missing: .venv/bin/pip install -e '.[bench]'")
    runs: dict[str, list[Result]] = {}
    for name in args.data.split(","):
        print(f"== {name}", flush=True)
        url = prepare(args.server_url, name, args.setup)
        runs[name] = run(name, url, args)[1]
    if {"demo", "national"} <= runs.keys():
        print("\n### national against demo\n")
        print("| page | demo share | national share | national/demo time | SQL demo → national "
              "| KB demo → national |")
        print("|---|---:|---:|---:|---:|---:|")
        # Pages only one data set has (issue 11's: the national set has no consultation) are
        # in its own table only.
        national = {r.page.name: r for r in runs["national"]}
        for d in runs["demo"]:
            n = national.get(d.page.name)
            if n is None:
                continue
            print(f"| {d.page.name} | {d.share:.0%} | {n.share:.0%} | "
                  f"{d.rps / n.rps:.2f}× | {d.queries} → {n.queries} "
                  f"| {d.size / 1000:,.0f} → {n.size / 1000:,.0f} |".replace("%", " %"))


if __name__ == "__main__":
    main()
