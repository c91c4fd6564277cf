"""Issue 14, part A, in Chromium: the secretariat sets up a prioritisation board on the demo.

At 10.02.2017 (before the demo's prioritisation milestone opens) the secretariat makes a board
from the workshop's 14-theme list, adds a criterion (a weight of 11 is refused at the field, the
typed title kept), moves a theme, adds the steering group by role, opens the board (each member
is e-mailed the link) and a member reads the board with the way to the scoring and nobody's
progress; the secretariat closes it. axe finds nothing and nothing scrolls sideways at 390 px.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import SECRETARIAT, click_and_wait, login
from tests.browser.main_pages import ROLES, DemoIds, demo_ids, main_pages
from tests.browser.test_consultations_setup import _check
from tests.browser.test_reflow import holds_at_both_widths
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import Cycle, OutboundEmail, PrioritisationBoard, Region

pytestmark = pytest.mark.browser

TITLE = "Prioritering i browseren"
MEMBER = "das@nordjylland.example"
BEFORE = datetime(2017, 2, 10, 10, 0, tzinfo=LOCAL_TZ)


def _cycle(app: Any) -> int:
    with app.app_context():
        found = db.session.scalars(select(Cycle.id).join(Region).where(
            Region.code == "nordjylland", Cycle.title == "Rammeaftale 2018")).one()
        db.session.remove()
    return found


def _holds(page: Any, what: str) -> None:
    holds_at_both_widths(page, what, axe_on_phone=True)


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    return demo_ids(app)


@pytest.mark.parametrize("role", ["secretariat", "steering_member", "respondent"])
def test_board_pages_reflow_and_pass_axe(live_server: str, ids: DemoIds, page: Any,
                                         role: str) -> None:
    """The layout checks of test_reflow.py on the board pages of main_pages.py only."""
    login(page, live_server, ROLES[role])
    paths = [p for p in main_pages(ids, role) if "prioritering" in p]
    assert paths
    problems = [problem for path in paths for problem in _check(page, live_server + path)]
    assert not problems, "\n".join(problems)


def test_the_secretariat_sets_up_opens_and_closes_a_board(app: Any, live_server: str,
                                                           page: Any, browser: Any,
                                                           clock: Any) -> None:
    clock.set(BEFORE)
    cycle = _cycle(app)
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/cykler/{cycle}/prioritering")
    _holds(page, "the cycle's boards")
    click_and_wait(page, page.get_by_role("link", name="Ny prioriteringstavle"))
    _holds(page, "the new board form")
    page.get_by_label("Titel").fill(TITLE)
    assert "14 temaer" in page.get_by_label("Temaer").inner_text()
    page.get_by_label("Indledning til medlemmerne").fill("Scor **alle** temaer før mødet.")
    click_and_wait(page, page.get_by_role("button", name="Opret tavlen"))
    assert "Tavlen er oprettet som kladde" in page.inner_text("body")
    main = page.get_by_role("main")
    assert main.get_by_role("row").filter(has_text="Fokus på beskæftigelse").count() == 1
    _holds(page, "the draft board")

    # A criterion: a weight outside 1–10 is refused at the field, the title kept.
    click_and_wait(page, main.get_by_role("link", name="Nyt kriterium"))
    page.get_by_label("Kriterium").fill("Tværkommunal relevans")
    page.get_by_label("Vægt").fill("11")
    click_and_wait(page, page.get_by_role("button", name="Tilføj kriteriet"))
    assert "Skriv et helt tal fra 1 til 10." in page.inner_text(".error-summary")
    assert page.get_by_label("Kriterium").input_value() == "Tværkommunal relevans"
    _holds(page, "the refused criterion")
    page.get_by_label("Vægt").fill("2")
    click_and_wait(page, page.get_by_role("button", name="Tilføj kriteriet"))
    assert "Kriteriet “Tværkommunal relevans” er tilføjet." in page.inner_text("body")

    # The first theme one place down.
    first = page.locator("#temaer-tabel tbody tr").first.locator("th").inner_text()
    click_and_wait(page, page.locator("#temaer-tabel tbody tr").first.get_by_role(
        "button", name="Ned"))
    assert page.locator("#temaer-tabel tbody tr").nth(1).locator("th").inner_text().endswith(
        first.split(". ", 1)[1])

    # The steering group by role, then open.
    click_and_wait(page, page.get_by_role("main").get_by_role("link", name="Medlemmer", exact=True))
    click_and_wait(page, page.get_by_role("button", name="Tilføj styregruppens medlemmer"))
    assert "6 medlemmer af styregruppen er tilføjet." in page.inner_text("body")
    _holds(page, "the members")
    click_and_wait(page, page.get_by_role("link", name="Tilbage til tavlen"))
    click_and_wait(page, page.get_by_role("button", name="Åbn tavlen for scoring"))
    assert "6 medlemmer har fået en invitation" in page.inner_text("body")
    assert "0 af 14 temaer" in page.inner_text("#fremskridt-tabel")
    _holds(page, "the open board")
    with app.app_context():
        board = db.session.scalars(select(PrioritisationBoard).where(
            PrioritisationBoard.title == TITLE)).one()
        invitation = db.session.scalars(select(OutboundEmail).where(
            OutboundEmail.to_address == MEMBER, OutboundEmail.template == "board_invitation",
            OutboundEmail.subject.contains(TITLE))).one()
        board_id = board.id
        assert f"/prioritering/{board_id}/scoring" in invitation.body_text
        db.session.remove()

    # A member reads the board: the introduction, the deadline, the way to the scoring.
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    member.set_default_timeout(10_000)
    tab = member.new_page()
    try:
        login(tab, live_server, MEMBER)
        tab.goto(f"{live_server}/prioritering/{board_id}")
        text = tab.inner_text("main")
        assert "Til din scoring" in text and "alle" in text and "27.02.2017" in text
        assert "Fremskridt" not in text and "Luk tavlen" not in text
        _holds(tab, "the board as a member reads it")
    finally:
        member.close()

    click_and_wait(page, page.get_by_role("button", name="Luk tavlen"))
    assert "Tavlen er lukket." in page.inner_text("body")
