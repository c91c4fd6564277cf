"""A facilitator records a challenge and an action; the secretariat merges two themes of the
prioritisation list and downloads the workshop's input as DOCX — in Chromium, at 1280 and
390 px, with axe-core on every page (issue 13)."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select

from tests.browser.conftest import (
    DEMO_NOW,
    RESPONDENT,
    SECRETARIAT,
    check_axe,
    click_and_wait,
    login,
)
from tests.browser.test_reflow import holds_at_both_widths
from webapp.demo.workshop_input import seed_input
from webapp.extensions import db
from webapp.models import Cycle, Region, User, WorkshopTheme

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ws(app: Any, live_server: str) -> dict[str, int]:
    """The demo's workshop input, open until after the demo's clock, and a facilitator (the
    Aalborg respondent) for "Flere hjemløse"."""
    with app.app_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
        workshop = seed_input(cycle, DEMO_NOW - timedelta(days=60))
        workshop.input_deadline = DEMO_NOW + timedelta(days=30)
        theme = db.session.scalars(select(WorkshopTheme).where(
            WorkshopTheme.workshop_id == workshop.id,
            WorkshopTheme.title == "Flere hjemløse")).one()
        theme.facilitator_id = db.session.scalars(select(User.id).where(
            User.email == RESPONDENT)).one()
        db.session.commit()
        return {"workshop": workshop.id, "theme": theme.id}


def _both_widths(page: Any, path: str) -> None:
    holds_at_both_widths(page, path, axe_on_phone=True)


def test_a_facilitator_records_a_challenge_and_an_action(page: Any, live_server: str,
                                                         ws: dict[str, int]) -> None:
    login(page, live_server, RESPONDENT)
    path = f"/workshops/{ws['workshop']}/temaer/{ws['theme']}/input"
    response = page.goto(live_server + path)
    assert response is not None and response.status == 200
    _both_widths(page, path)
    main = page.get_by_role("main")
    # An empty text is refused at the field, the sub-heading kept.
    main.get_by_label("Underoverskrift").fill("Boliger")
    click_and_wait(page, main.get_by_role("button", name="Gem input"))
    assert "Skriv teksten." in main.locator("#body-error").inner_text()
    assert main.get_by_label("Underoverskrift").input_value() == "Boliger"
    check_axe(page)
    main.locator("#body").fill("For få billige boliger til unge hjemløse.")
    click_and_wait(page, main.get_by_role("button", name="Gem input"))
    main.get_by_label("Tiltag").check()
    main.get_by_label("Underoverskrift").fill("Boliger")
    main.locator("#body").fill("Fælles *Housing First*-indsats på tværs.")
    click_and_wait(page, main.get_by_role("button", name="Gem input"))
    text = main.inner_text()
    assert "For få billige boliger til unge hjemløse." in text
    assert "Fælles Housing First-indsats på tværs." in text
    assert main.locator("em", has_text="Housing First").count() == 1
    _both_widths(page, path)


def test_the_secretariat_merges_two_themes_and_downloads_the_docx(
        page: Any, live_server: str, ws: dict[str, int]) -> None:
    login(page, live_server, SECRETARIAT)
    path = f"/workshops/{ws['workshop']}/temaliste"
    page.goto(live_server + path)
    _both_widths(page, path)
    form = page.locator("form", has=page.get_by_role("button", name="Læg sammen"))
    form.get_by_label("Flere hjemløse").check()
    form.get_by_label("Flere ældre med handicap").check()
    form.get_by_label("Det samlede temas titel").fill("Nye og voksende målgrupper")
    click_and_wait(page, form.get_by_role("button", name="Læg sammen"))
    main = page.get_by_role("main")
    assert "Temaerne er lagt sammen." in page.inner_text("body")
    row = main.locator("tr", has_text="Nye og voksende målgrupper")
    assert "Flere hjemløse, Flere ældre med handicap" in row.inner_text()
    _both_widths(page, path)

    overview = f"/workshops/{ws['workshop']}/input"
    page.goto(live_server + overview)
    _both_widths(page, overview)
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent alt input som Word-fil (DOCX)").click()
    data = info.value.path().read_bytes()
    styled = [(p.style.name, p.text) for p in Document(io.BytesIO(data)).paragraphs]
    assert ("Heading 1", "Rehabilitering") in styled
    assert ("Heading 2", "Udfordringer") in styled
    assert any(style == "List Bullet" for style, _text in styled)
