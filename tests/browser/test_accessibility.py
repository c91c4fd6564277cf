"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, and the keyboard basics work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import RESPONDENT, SECRETARIAT, check_axe, login

pytestmark = pytest.mark.browser

WORKSHOP = "Workshop for fagfolk og brugerorganisationer"


def _h1(page: Any) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _open_demo_cycle(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cykler/")
    page.get_by_role("link", name="Rammeaftale 2018", exact=True).click()
    page.wait_for_url(f"{base_url}/cykler/*")
    assert _h1(page).startswith("Rammeaftale 2018")


# --- axe finds what it should: a guard against a setup that silently checks nothing -------------


def test_axe_reports_a_violation(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/tilgaengelighed")
    page.evaluate("""() => {
        const img = document.createElement('img');
        img.src = '/static/favicon.svg';
        document.querySelector('main').appendChild(img);
    }""")
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(page)


# --- pages without login -----------------------------------------------------------------------


def test_login_page(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/login")
    assert _h1(page) == "Log ind"
    check_axe(page)


def test_login_page_after_wrong_password(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", RESPONDENT)
    page.fill("#password", "forkert-adgangskode")
    with page.expect_navigation() as navigation:
        page.get_by_role("main").get_by_role("button", name="Log ind").click()
    assert navigation.value.status == 422
    summary = page.get_by_role("alert")
    assert "Der er et problem" in summary.inner_text()
    assert "E-mailadressen eller adgangskoden er forkert." in summary.inner_text()
    check_axe(page)


def test_login_page_after_empty_submit(live_server: str, page: Any) -> None:
    """Field errors: each is linked from the summary and tied to its field."""
    page.goto(f"{live_server}/login")
    with page.expect_navigation() as navigation:
        page.get_by_role("main").get_by_role("button", name="Log ind").click()
    assert navigation.value.status == 422
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link").count() == 2  # e-mail and password
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert "email-error" in (page.locator("#email").get_attribute("aria-describedby") or "")
    check_axe(page)


def test_accessibility_statement(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/tilgaengelighed")
    assert _h1(page) == "Tilgængelighedserklæring"
    check_axe(page)


def test_not_found_page(live_server: str, page: Any) -> None:
    response = page.goto(f"{live_server}/findes-ikke")
    assert response is not None and response.status == 404
    assert _h1(page) == "Siden findes ikke"
    check_axe(page)


# --- logged in ---------------------------------------------------------------------------------


@pytest.mark.parametrize("email", [SECRETARIAT, RESPONDENT], ids=["secretariat", "respondent"])
def test_dashboard(live_server: str, page: Any, email: str) -> None:
    login(page, live_server, email)
    assert _h1(page) == "Mine opgaver"
    check_axe(page)


@pytest.mark.parametrize(("path", "heading"), [
    ("/cykler/", "Cyklusser"),
    ("/admin/organisationer", "Organisationer"),
    ("/admin/personer", "Personer"),
    ("/admin/log", "Log over ændringer og e-mails"),
    ("/tilgaengelighed", "Tilgængelighedserklæring"),
    ("/findes-ikke", "Siden findes ikke"),
])
def test_secretariat_pages(live_server: str, page: Any, path: str, heading: str) -> None:
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}{path}")
    assert _h1(page) == heading
    check_axe(page)


def test_cycle_detail(live_server: str, page: Any) -> None:
    login(page, live_server, SECRETARIAT)
    _open_demo_cycle(page, live_server)
    assert page.get_by_role("img", name="Tidslinje for cyklussen").count() == 1
    check_axe(page)


def test_cycle_detail_as_respondent(live_server: str, page: Any) -> None:
    login(page, live_server, RESPONDENT)
    _open_demo_cycle(page, live_server)
    assert page.get_by_role("link", name="Kopiér til ny cyklus").count() == 0
    check_axe(page)


def test_milestone_form_with_validation_error(live_server: str, page: Any) -> None:
    login(page, live_server, SECRETARIAT)
    _open_demo_cycle(page, live_server)
    page.get_by_role("link", name=f"Rediger {WORKSHOP}").click()
    assert _h1(page) == "Rediger milepæl"
    check_axe(page)

    assert page.locator("#starts_date").input_value() == "2017-02-06"
    page.fill("#ends_date", "2017-02-05")  # the day before it starts
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Gem milepæl").click()
    assert navigation.value.status == 422

    summary = page.get_by_role("alert")
    assert "Slut/frist ligger før starten." in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#ends_date"
    ends = page.locator("#ends_date")
    assert ends.get_attribute("aria-invalid") == "true"
    assert ends.input_value() == "2017-02-05"  # what was typed is kept
    assert "ends_date-error" in (ends.get_attribute("aria-describedby") or "")
    check_axe(page)


# --- keyboard ----------------------------------------------------------------------------------


def test_skip_link_is_the_first_tab_stop(live_server: str, page: Any) -> None:
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/oversigt")

    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({text: document.activeElement.textContent.trim(),"
                            " href: document.activeElement.getAttribute('href')})")
    assert focused == {"text": "Gå til indhold", "href": "#indhold"}
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "focused skip link is off-screen"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "indhold"
    assert page.url.endswith("#indhold")


def test_error_summary_links_move_focus_to_the_field(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_role("main").get_by_role("button", name="Log ind").click()
    page.wait_for_selector(".error-summary")
    page.get_by_role("alert").get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "email"
