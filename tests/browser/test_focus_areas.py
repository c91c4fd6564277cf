"""The focus areas in Chromium: the secretariat writes an initiative, the lead's respondent
reports its status, the next cycle's page shows it under "Status på tidligere fokusområder",
and the public page shows the areas without login. At 1280, 390 and 320 px nothing scrolls
sideways or is clipped, and axe-core finds no WCAG A/AA violation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import SECRETARIAT, check_axe, click_and_wait, login
from tests.browser.test_approvals_pages import _check  # 1280, 390 and 320 px, with axe
from webapp.demo.focus_areas import seed_focus_areas
from webapp.extensions import db
from webapp.models import Cycle, FocusArea, Region

pytestmark = pytest.mark.browser

LEAD = "jammerbugt@nordjylland.example"  # Jammerbugt Kommune leads initiative 1 c)


@pytest.fixture(scope="module")
def cycles(app: Any, live_server: str) -> tuple[int, int]:
    """The demo's 2018 cycle with its focus areas (written here unless the demo has them), and
    its copy for the next cycle."""
    with app.app_context():
        s = db.session
        cycle = s.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
        if s.scalar(select(FocusArea.id).where(FocusArea.cycle_id == cycle.id)) is None:
            seed_focus_areas(cycle, datetime(2017, 5, 15, 8, tzinfo=UTC))
            s.commit()
        copy = s.scalars(select(Cycle.id).where(Cycle.cloned_from_id == cycle.id)).one()
        found = cycle.id, copy
        s.remove()
    return found


def test_the_secretariat_adds_an_initiative(live_server: str, page: Any, cycles: Any) -> None:
    cycle, _copy = cycles
    login(page, live_server, SECRETARIAT)
    url = f"{live_server}/cykler/{cycle}/fokusomraader"
    page.goto(url)
    assert "Fokusområde 3: Nye samarbejdsformer" in page.inner_text("main")
    click_and_wait(page, page.get_by_role("link", name="Nyt initiativ – Nye samarbejdsformer"))
    page.locator("#title").fill("Fælles udkørende team")
    page.locator("#lead_organisation_id").select_option(label="Rebild Kommune")
    click_and_wait(page, page.get_by_role("button", name="Gem initiativet"))
    main = page.inner_text("main")
    assert "Initiativet er oprettet." in page.inner_text("body")
    assert "d) Fælles udkørende team" in main and "Rebild Kommune" in main
    _check(page, url)
    _check(page, f"{live_server}/initiativer/{_first_initiative(page, live_server, cycle)}"
                 "/status")


def _first_initiative(page: Any, base: str, cycle: int) -> str:
    page.goto(f"{base}/cykler/{cycle}/fokusomraader")
    href = page.get_by_role("link", name="Meld status").first.get_attribute("href")
    assert href is not None
    return href.split("/")[2]


def test_the_lead_reports_status_and_the_next_cycle_shows_it(live_server: str, page: Any,
                                                             cycles: Any) -> None:
    cycle, copy = cycles
    login(page, live_server, LEAD)
    page.goto(f"{live_server}/cykler/{cycle}/fokusomraader")
    report = page.get_by_role("link", name="Meld status")
    assert report.count() == 1  # only the initiative the municipality leads
    click_and_wait(page, report)
    page.get_by_label("I gang", exact=True).check()
    page.locator("#report").fill("Tre jobcentre afprøver støtte i praktikken.")
    page.locator("#reported_on").fill("2017-04-19")
    click_and_wait(page, page.get_by_role("button", name="Meld status"))
    assert "Status er meldt." in page.inner_text("body")
    assert "Tre jobcentre afprøver støtte i praktikken." in page.inner_text("main")
    check_axe(page)
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    url = f"{live_server}/cykler/{copy}"
    page.goto(url)
    section = page.locator("section.focus-summary")
    assert "Status på tidligere fokusområder" in section.inner_text()
    assert "Effekten af sociale støttetiltag" in section.inner_text()
    _check(page, url)


def test_the_public_page_without_login(live_server: str, page: Any, cycles: Any) -> None:
    cycle, _copy = cycles
    url = f"{live_server}/offentlig/cykler/{cycle}/fokusomraader"
    page.goto(url)
    main = page.inner_text("main")
    assert "Socialfagligt fokus på beskæftigelse" in main and "Tovholder" in main
    assert page.get_by_role("link", name="Meld status").count() == 0
    _check(page, url)
    response = page.goto(f"{live_server}/api/v1/cycles/{cycle}/focus-areas")
    assert response is not None and response.status == 200
    assert len(response.json()["focus_areas"]) == 3
