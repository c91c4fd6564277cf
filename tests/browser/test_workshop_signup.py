"""The workshop sign-up in Chromium: a person without an account follows the personal link,
picks two themes in session 1 and one in session 2 (three are refused, the picks kept), and
the secretariat's overview at 1280 and 390 px; axe-core finds nothing on these pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.browser.conftest import check_axe, click_and_wait, login
from tests.browser.main_pages import ROLES
from tests.browser.test_reflow import DESKTOP, fits_width
from webapp.demo.workshop_signup import seed_signup
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import Cycle, Region, User
from webapp.workflows.workshops import invitations

pytestmark = pytest.mark.browser

BEFORE_DEADLINE = __import__("datetime").datetime(2017, 1, 20, 10, 0, tzinfo=LOCAL_TZ)


@pytest.fixture(scope="module")
def workshop(app: Any, live_server: str) -> dict[str, Any]:
    with app.test_request_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018")).options(
            selectinload(Cycle.milestones))).first()
        actor = db.session.scalars(select(User).where(User.email == ROLES["secretariat"])
                                   .options(selectinload(User.grants),
                                            selectinload(User.organisation))).one()
        built = seed_signup([], cycle, actor)
        assert built is not None
        invitee = invitations.invite_address(
            actor, built, name="Birthe Browser", email="birthe@example.org",
            organisation_id=None, now=BEFORE_DEADLINE)
        db.session.commit()
        out = {"id": built.id, "token": invitations.personal_token(invitee)}
        db.session.remove()
    return out


def test_a_person_without_an_account_signs_up_by_the_link(live_server: str, workshop: Any,
                                                          page: Any, clock: Any) -> None:
    clock.set(BEFORE_DEADLINE)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/workshops/tilmelding/{workshop['token']}")
    assert "Birthe Browser" in page.inner_text("main")
    check_axe(page)
    page.get_by_label("Ja, jeg deltager").check()
    # The demo's session 1 themes are full but the small group: a full one takes the waiting
    # list when asked to.
    for theme in ("Rehabilitering", "Forskning, metode og evidens", "Velfærdsteknologi",
                  "Flere hjemløse"):
        page.get_by_label(theme, exact=True).check()
    page.get_by_label("Sæt mig på ventelisten", exact=False).check()
    click_and_wait(page, page.get_by_role("button", name="Gem tilmeldingen"))
    assert "Vælg 2 temaer" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("Velfærdsteknologi", exact=True).is_checked()  # kept
    check_axe(page, note="(the form with an error)")
    page.get_by_label("Velfærdsteknologi", exact=True).uncheck()
    click_and_wait(page, page.get_by_role("button", name="Gem tilmeldingen"))
    main = page.inner_text("main")
    assert "Din tilmelding er gemt" in main, main[:3000]
    assert page.get_by_label("Rehabilitering", exact=True).is_checked()
    assert "Du står på ventelisten" in main and "Du har en plads" in main
    fits_width(page, 390)
    check_axe(page, note="(at 390 px)")


def test_the_secretariats_overview_at_1280_and_390(live_server: str, workshop: Any, page: Any,
                                                   clock: Any) -> None:
    clock.set(BEFORE_DEADLINE)
    login(page, live_server, ROLES["secretariat"])
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/workshops/{workshop['id']}")
    text = page.inner_text("main")
    assert "Temaer under mindste antal" in text and "Forskning, metode og evidens" in text
    assert page.locator("svg.capacity").count() == 2
    check_axe(page)
    fits_width(page, 390)
    check_axe(page, note="(at 390 px)")
    page.set_viewport_size(DESKTOP)
    click_and_wait(page, page.get_by_role("link", name="Forskning, metode og evidens").first)
    check_axe(page)
    fits_width(page, 390)
