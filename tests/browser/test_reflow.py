"""WCAG 1.4.10 reflow: every main page reads at 390 and 320 CSS px without the page itself
scrolling sideways. Wide tables may scroll inside their own box; the page may not."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import RESPONDENT, SECRETARIAT, login
from webapp.extensions import db
from webapp.models.cycles import Cycle
from webapp.models.questionnaires import Questionnaire, QuestionnaireResponse

pytestmark = pytest.mark.browser

WIDTHS = [390, 320]


def _paths(app: Any, email: str) -> list[str]:
    """The main pages this person can open, with the demo's real ids."""
    with app.app_context():
        cycle = db.session.scalars(
            select(Cycle).where(Cycle.title.startswith("Rammeaftale 2018"))).first()
        assert cycle is not None
        questionnaire = db.session.scalars(
            select(Questionnaire).where(Questionnaire.cycle_id == cycle.id)).first()
        assert questionnaire is not None
        response = db.session.scalars(
            select(QuestionnaireResponse)
            .where(QuestionnaireResponse.questionnaire_id == questionnaire.id)).first()
        assert response is not None, "the demo has no response to print"
        milestone_id = questionnaire.milestone_id
        c, q, printed = cycle.id, questionnaire.id, response.organisation_id
        db.session.remove()
    common = ["/oversigt", "/cykler/", f"/cykler/{c}", f"/cykler/{c}/skemaer", "/min-profil"]
    # The printable response is the secretariat's; a respondent prints from the answer form.
    if email == RESPONDENT:
        return [*common, f"/skemaer/{q}/besvar"]
    return [
        *common,
        f"/skemaer/{q}/status",
        f"/skemaer/{q}/resultater",
        f"/skemaer/{q}/besvarelser/{printed}",
        f"/cykler/{c}/milepaele/{milestone_id}/paamindelser",
        "/admin/e-mails",
        "/admin/personer",
        "/admin/organisationer",
        "/admin/log",
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("email", [SECRETARIAT, RESPONDENT], ids=["secretariat", "respondent"])
def test_no_sideways_scrolling_on_a_phone(
        app: Any, live_server: str, page: Any, email: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, email)
    too_wide = []
    for path in _paths(app, email):
        response = page.goto(f"{live_server}{path}")
        assert response is not None, path
        assert response.status == 200, f"{path}: {response.status}"
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if sizes[0] > sizes[1]:
            # Name the culprits: elements whose right edge lies beyond the viewport.
            culprits = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.parentElement.closest('.table-wrap, .chart-wrap'))
                .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + e.className
                                    + ' ' + Math.round(e.getBoundingClientRect().right))""")
            too_wide.append(f"{path}: page is {sizes[0]} px wide in a {sizes[1]} px window; "
                            f"{culprits}")
    assert not too_wide, "pages scroll sideways:\n" + "\n".join(too_wide)


def test_a_table_scroll_box_is_named_by_its_caption(live_server: str, page: Any) -> None:
    """The scroll box is a focusable region; a screen reader announces the table's caption."""
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/cykler/")
    region = page.get_by_role("region", name="Rammeaftaler i din region", exact=True)
    assert region.count() == 1
    assert region.get_attribute("tabindex") == "0"
