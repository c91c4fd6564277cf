"""Browser tests: the real app on a real port, driven by Chromium through Playwright.

The live server needs committed data, so these tests do not use the rolled-back `db` fixture:
each module gets a freshly seeded Nordjylland demo (`live_server`) and leaves the database
empty afterwards. One Chromium runs for the whole session; every test gets its own context.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import truncate_all
from webapp.clock import parse_fixed_now
from webapp.demo import nordjylland
from webapp.demo.seed import seed_demo
from webapp.extensions import db

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEMO_PASSWORD = nordjylland.DEMO_PASSWORD
# The demo's clock (20.04.2017 10.00 Copenhagen); every browser test runs at that moment.
DEMO_NOW = parse_fixed_now(nordjylland.DEMO_NOW)

# The demo's people: e-mail -> (name, roles).
PEOPLE = {email: (name, roles) for email, name, _org, roles in nordjylland.PEOPLE}
SECRETARIAT = "sekretariat@nordjylland.example"
RESPONDENT = "aalborg@nordjylland.example"


# --- the live server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(app: Any) -> Iterator[str]:
    """The app on 127.0.0.1:<free port> with the Nordjylland demo committed; yields the base URL.

    Module scope: a module's tests share (and may change) one seeded demo. On teardown every
    table is emptied again, because the rest of the suite expects an empty database.
    """
    with serve_demo(app) as url:
        yield url


@contextmanager
def serve_demo(app: Any, **seed_options: Any) -> Iterator[str]:
    """The live server on the demo seeded with `seed_options` (see `seed_demo`): a module that
    needs the demo otherwise overrides `live_server` with it."""
    from werkzeug.serving import make_server

    clock = app.extensions["clock"]
    # A browser posts real forms with real tokens: run the live server with CSRF protection on,
    # as in production (TestConfig switches it off for the test client).
    csrf_setting = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    # One access-log line per request would bury a failing test's own output.
    werkzeug_log = logging.getLogger("werkzeug")
    log_level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)
    server = None
    try:
        clock.set(DEMO_NOW)
        with app.app_context():
            truncate_all()
            seed_demo(DEMO_NOW, **seed_options)
            db.session.commit()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        app.config["WTF_CSRF_ENABLED"] = csrf_setting
        werkzeug_log.setLevel(log_level)
        clock.set(None)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # drop the server threads' pooled connections before truncating
            truncate_all()


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if not Path(executable).exists():
        message = (f"Chromium not installed at {executable}; apt-get install chromium "
                   "(or set CHROMIUM_PATH)")
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser tests may not be skipped: {message}",
                        pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


# --- helpers -----------------------------------------------------------------------------------


def click_and_wait(page: Any, locator: Any) -> Any:
    """Click a link or submit button and wait until the page it leads to has loaded.

    Returns the response (after redirects), so a test can check its status.
    """
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def login(page: Any, base_url: str, email: str, password: str = DEMO_PASSWORD) -> Any:
    """Log in through the real form; returns the response of the page it leads to."""
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    return click_and_wait(page, page.get_by_role("main").get_by_role("button", name="Log ind"))


def check_axe(page: Any, note: str = "") -> None:
    """axe-core finds no WCAG 2.0/2.1 A or AA violation on the page as it is now.

    `note` is added to the failure message (e.g. to point at a known bug).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    })
    # A guard against a silently broken setup (axe not injected, CSP blocking it): a run that
    # checked nothing reports no passes either.
    assert results.response.get("passes"), f"axe-core did not check anything on {page.url}"
    violations = results.response["violations"]
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for node in v["nodes"]:
            targets = ", ".join(" ".join(t) if isinstance(t, list) else t
                                for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {targets}: {summary}")
    assert len(violations) == 0, (
        f"axe found {len(violations)} WCAG A/AA violation(s) on {page.url}:\n"
        + "\n".join(lines) + (f"\n{note}" if note else ""))


@pytest.fixture(autouse=True)
def clock(clock: Any) -> Any:
    """The live server runs at the demo's moment; the root fixture would reset it to 10.01.2017
    before each test."""
    clock.set(DEMO_NOW)
    return clock
