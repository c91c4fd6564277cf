"""A long questionnaire's answer form in the browser, one section a page, on a phone: a respondent
fills a field in section 1, saves and goes on to section 2, and comes back through the list of
sections to find the answer saved. axe-core checks the section page; it never scrolls sideways.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import RESPONDENT, check_axe, click_and_wait, login
from tests.browser.test_reflow import SIDEWAYS_CULPRITS, fits_width
from tests.questionnaires.test_answer_sections import long_questionnaire
from webapp.extensions import db
from webapp.models import Cycle, Region

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 800}


@pytest.fixture(scope="module")
def questionnaire_id(app: Any, live_server: str) -> int:
    """A questionnaire of 10 sections × 4 questions in the demo's open cycle, for every
    municipality (Aalborg's respondent among them)."""
    with app.app_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
        found = long_questionnaire(cycle, title="Lang kapacitetsopgørelse").id
        db.session.commit()
        db.session.remove()
    return found


def test_a_respondent_answers_one_section_a_page(live_server: str, page: Any,
                                                 questionnaire_id: int) -> None:
    page.set_viewport_size(PHONE)
    login(page, live_server, RESPONDENT)
    page.goto(f"{live_server}/skemaer/{questionnaire_id}/besvar")
    main = page.get_by_role("main")
    assert main.get_by_role("heading", level=2, name="Afsnit nummer 1").count() == 1
    assert main.get_by_label("Spørgsmål 2.1").count() == 0
    toc = page.get_by_role("navigation", name="Afsnit", exact=True)
    assert toc.locator('[aria-current="page"]').inner_text() == "Afsnit nummer 1"
    assert page.evaluate(SIDEWAYS_CULPRITS) == []
    check_axe(page, note="section 1 of a long questionnaire's answer form, at 390 px")
    fits_width(page, 320)
    page.set_viewport_size(PHONE)

    main.get_by_label("Spørgsmål 1.2").fill("Aalborgs svar")
    response = click_and_wait(page, main.get_by_role("button", name="Gem og gå til næste afsnit"))
    assert response.status == 200 and page.url.endswith("?afsnit=2")
    assert "Kladden er gemt" in main.inner_text()
    assert main.get_by_role("heading", level=2, name="Afsnit nummer 2").count() == 1
    assert main.get_by_label("Spørgsmål 2.1").input_value() == ""
    assert main.get_by_label("Spørgsmål 1.2").count() == 0
    assert toc.locator('[aria-current="page"]').inner_text() == "Afsnit nummer 2"

    click_and_wait(page, toc.get_by_role("link", name="Afsnit nummer 1", exact=True))
    assert page.url.endswith("?afsnit=1")
    assert main.get_by_label("Spørgsmål 1.2").input_value() == "Aalborgs svar"
    assert page.evaluate(SIDEWAYS_CULPRITS) == []
