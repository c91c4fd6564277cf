"""The theme day in Chromium: two people vote from two browsers (a phone-sized one among them)
while a third shows the live tally, whose bars and numbers follow without a reload; a vote
over the limit is refused with the picks kept; axe-core finds nothing on the pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.browser.conftest import DEMO_NOW, check_axe, click_and_wait, login
from webapp.demo.theme_day import seed_theme_day
from webapp.extensions import db
from webapp.models import Cycle, Region, User
from webapp.permissions import SYSTEM
from webapp.workflows.theme_days import setup, themes_with_items

pytestmark = pytest.mark.browser

VOTER = "politiker@nordjylland.example"
DIRECTOR = "das@nordjylland.example"


@pytest.fixture(scope="module")
def day(app: Any, live_server: str) -> dict[str, Any]:
    with app.test_request_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).first()
        made = seed_theme_day(cycle, None, DEMO_NOW)
        assert made is not None
        director = db.session.scalars(select(User).where(User.email == DIRECTOR)
                                      .options(selectinload(User.grants))).one()
        setup.add_voter(SYSTEM, made, director.id, now=DEMO_NOW)
        theme = themes_with_items(made)[0]
        out = {"id": made.id, "theme": theme.id, "items": [i.id for i in theme.items]}
        db.session.commit()
        db.session.remove()
    return out


def _tally_number(page: Any, item_id: int) -> int:
    return int(page.inner_text(f'[data-item="{item_id}"] .tally-n'))


def test_two_browsers_vote_while_the_tally_follows(live_server: str, day: Any, browser: Any,
                                                   page: Any, clock: Any) -> None:
    clock.set(DEMO_NOW)
    login(page, live_server, "sekretariat@nordjylland.example")
    page.goto(f"{live_server}/temadage/{day['id']}/optaelling")
    check_axe(page, "tally")
    assert page.is_visible("#tally-live") and not page.is_visible("#tally-ended")
    option = day["items"][-1]
    before = _tally_number(page, option)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    try:
        for context, email in ((phone, VOTER), (laptop, DIRECTOR)):
            tab = context.new_page()
            login(tab, live_server, email)
            tab.goto(f"{live_server}/temadage/{day['id']}/stem")
            check_axe(tab, f"vote {email}")
            form = tab.locator(f"#tema-{day['theme']} form")
            boxes = form.locator("input[type=checkbox]")
            if email == VOTER:  # four picks: over the limit of three
                for n in range(4):
                    boxes.nth(n).check()
                click_and_wait(tab, form.locator("button[type=submit]"))
                assert "Vælg højst 3 punkter" in tab.inner_text("main")
                assert tab.locator(f"#tema-{day['theme']} input:checked").count() == 4
                check_axe(tab, "refused vote")
                form = tab.locator(f"#tema-{day['theme']} form")
                boxes = form.locator("input[type=checkbox]")
                for n in range(4):
                    boxes.nth(n).uncheck()
            tab.check(f"#tema-{day['theme']}-items-{len(day['items']) - 1}")
            click_and_wait(tab, tab.locator(f"#tema-{day['theme']} form button[type=submit]"))
            assert "er gemt" in tab.inner_text("main")
        # The projector's page follows by itself.
        page.wait_for_function(
            "([id, n]) => parseInt(document.querySelector(`[data-item='${id}'] .tally-n`)"
            ".textContent, 10) === n", arg=[option, before + 2], timeout=15_000)
    finally:
        phone.close()
        laptop.close()


def test_the_ended_vote_is_frozen(live_server: str, day: Any, page: Any, clock: Any) -> None:
    clock.set(DEMO_NOW)
    login(page, live_server, "sekretariat@nordjylland.example")
    page.goto(f"{live_server}/temadage/{day['id']}")
    check_axe(page, "catalogue")
    page.goto(f"{live_server}/temadage/{day['id']}/optaelling")
    second = page.context.new_page()
    second.goto(f"{live_server}/temadage/{day['id']}")
    click_and_wait(second, second.get_by_role("button", name="Afslut afstemningen"))
    page.wait_for_selector("#tally-ended", state="visible", timeout=15_000)
    assert not page.is_visible("#tally-live")
