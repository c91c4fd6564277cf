"""A prioritisation board's result in Chromium (issue 14, item 3): the secretariat reads the
ranking of a closed board with the recommendations and a chart per theme, picks three themes
for the theme day, writes the conclusion and publishes; a steering-group member then reads it.
At 1280, 390 and 320 px nothing scrolls sideways, and axe-core finds no violation.

The demo's own board is published already, so the test makes another the demo's way: from
the workshop's 14 themes, scored by the steering group and closed."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import SECRETARIAT, click_and_wait, login
from tests.browser.test_approvals_pages import _check as check_widths
from webapp.demo import board_scores
from webapp.demo import boards as board_story
from webapp.demo.board_results import THEME_DAY_THEMES
from webapp.extensions import db
from webapp.models import Cycle, Region

pytestmark = pytest.mark.browser

MEMBER = "das@nordjylland.example"


@pytest.fixture(scope="module")
def board_id(app: Any, live_server: str) -> int:
    with app.app_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
        board = board_story.seed_board(cycle, title="Prioritering af temaer (lukket)")
        board_scores.seed_scores(board, board_story.OPENED_AT)
        board_story.close_demo_board(board)
        db.session.commit()
        found = board.id
        db.session.remove()
    return found


def _check(page: Any, url: str) -> None:
    """At 1280, 390 and 320 px (the approval pages' check), then back at 1280 px."""
    check_widths(page, url)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_secretariat_picks_themes_publishes_and_a_member_reads_it(
        live_server: str, page: Any, browser: Any, board_id: int) -> None:
    url = f"{live_server}/prioritering/{board_id}/resultat"
    # a member sees nothing before the publication
    login(page, live_server, MEMBER)
    assert page.goto(url).status == 403
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    page.goto(url)
    main = page.get_by_role("main")
    assert "Rangordning" in main.inner_text()
    assert page.locator("svg.chart.columns").count() == 14
    assert page.get_by_role("img", name="Fordeling af scorer for Rehabilitering").count() == 1
    _check(page, url)
    for title in THEME_DAY_THEMES:
        page.get_by_role("checkbox", name=title, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Gem valget af temaer"))
    assert "3 temaer er valgt til temadagen." in page.inner_text("main")
    page.get_by_label("Konklusion").fill("DAS sender **tre temaer** videre til temadagen.")
    page.get_by_label("Offentliggør også for regionens øvrige brugere").check()
    click_and_wait(page, page.get_by_role("button", name="Gem konklusionen"))
    click_and_wait(page, page.get_by_role("button", name="Offentliggør resultatet"))
    text = page.inner_text("main")
    assert "Resultatet er offentliggjort" in text
    assert "regionens øvrige brugere" in text
    page.context.clear_cookies()
    login(page, live_server, MEMBER)
    page.goto(url)
    text = page.inner_text("main")
    assert "tre temaer" in text and "Temaer til den politiske temadag" in text
    assert page.get_by_role("button", name="Offentliggør resultatet").count() == 0
    _check(page, url)
