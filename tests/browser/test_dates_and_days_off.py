"""Issue 9, items 6 and 12 in Chromium: the summer/winter-time question under a time the clock
shows twice, and the review of a cloned cycle's milestones on days off; axe-clean, at 1280 and
390 px, without sideways scrolling."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SECRETARIAT, check_axe, click_and_wait, login

pytestmark = pytest.mark.browser

CLONE = "Rammeaftale 2019–2020"  # the demo's draft clone: Politisk temadag on a Saturday


def _open_clone(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cykler/")
    click_and_wait(page, page.get_by_role("link", name=CLONE, exact=True))


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_time_shown_twice_asks_summer_or_winter(live_server: str, page: Any,
                                                   width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, SECRETARIAT)
    _open_clone(page, live_server)
    click_and_wait(page, page.get_by_role("link", name="Tilføj milepæl"))
    page.select_option("#kind", "other")
    page.fill("#title", f"Styregruppemøde {width}")
    page.fill("#ends_date", "2027-10-31")
    page.fill("#ends_time", "02:30")
    response = click_and_wait(page, page.get_by_role("button", name="Gem milepæl"))
    assert response.status == 422
    assert "Klokken 02.30 findes to gange den 31.10.2027" in page.get_by_role("alert").inner_text()
    group = page.get_by_role("group", name="Kl. 02.30 den 31.10.2027 findes to gange. "
                                           "Hvilken mener du?")
    check_axe(page)
    _no_sideways_scroll(page)
    group.get_by_role("radio", name="Vintertid: kl. 02.30 (+01:00), en time senere").check()
    response = click_and_wait(page, page.get_by_role("button", name="Gem milepæl"))
    assert response.status == 200 and page.url.endswith(tuple("0123456789"))
    assert "31.10.2027 kl. 02.30" in page.get_by_role("main").inner_text()


@pytest.mark.parametrize("width", [390, 1280])  # the phone only looks; the desktop moves
def test_a_clones_days_off_are_reviewed_and_moved(live_server: str, page: Any,
                                                  width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, SECRETARIAT)
    _open_clone(page, live_server)
    note = page.get_by_role("note").filter(has_text="falder på en weekend eller en helligdag")
    click_and_wait(page, note.get_by_role("link", name="Se dem, og flyt dem til hverdage"))
    assert page.get_by_role("heading", level=1).inner_text() == "Milepæle på fridage"
    theme_day = page.get_by_role("checkbox", name="Politisk temadag")
    assert theme_day.is_checked()
    assert "lørdag 28.04.2018 → flyt til torsdag 26.04.2018" in page.get_by_role(
        "main").inner_text()  # Friday 27.04.2018 is Store bededag
    check_axe(page)
    _no_sideways_scroll(page)
    if width == 390:
        return
    click_and_wait(page, page.get_by_role("button", name="Flyt de valgte"))
    assert "er flyttet til en hverdag" in page.get_by_role("main").inner_text()
    assert "26.04.2018 kl. 09.30" in page.get_by_role("main").inner_text()
