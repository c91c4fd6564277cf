"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, and the keyboard basics work."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import RESPONDENT, SECRETARIAT, check_axe, click_and_wait, login

pytestmark = pytest.mark.browser

WORKSHOP = "Workshop for fagfolk og brugerorganisationer"


def _h1(page: Any) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _login_button(page: Any) -> Any:
    return page.get_by_role("main").get_by_role("button", name="Log ind")


def _open_demo_cycle(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/cykler/")
    click_and_wait(page, page.get_by_role("link", name="Rammeaftale 2018", exact=True))
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
    response = click_and_wait(page, _login_button(page))
    assert response.status == 422
    summary = page.get_by_role("alert")
    assert "Der er et problem" in summary.inner_text()
    assert "E-mailadressen eller adgangskoden er forkert." in summary.inner_text()
    check_axe(page)


def test_login_page_after_empty_submit(live_server: str, page: Any) -> None:
    """Field errors: each is linked from the summary and tied to its field."""
    page.goto(f"{live_server}/login")
    response = click_and_wait(page, _login_button(page))
    assert response.status == 422
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
    click_and_wait(page, page.get_by_role("link", name=f"Rediger {WORKSHOP}"))
    assert _h1(page) == "Rediger milepæl"
    check_axe(page)

    assert page.locator("#starts_date").input_value() == "2017-02-06"
    page.fill("#ends_date", "2017-02-05")  # the day before it starts
    response = click_and_wait(page, page.get_by_role("button", name="Gem milepæl"))
    assert response.status == 422

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
    click_and_wait(page, _login_button(page))
    page.get_by_role("alert").get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "email"


# --- small screens: WCAG 1.4.10 reflow is judged at 320 CSS px ---------------------------------

PHONE = {"width": 320, "height": 800}


@pytest.mark.parametrize("where", ["dashboard", "cycle detail"])
def test_timeline_on_a_phone(live_server: str, page: Any, where: str) -> None:
    """At 320 px the timeline is a list of its milestones (the drawing is hidden, for screen
    readers too); axe finds nothing on the page."""
    page.set_viewport_size(PHONE)
    login(page, live_server, SECRETARIAT)
    if where == "cycle detail":
        _open_demo_cycle(page, live_server)
    assert page.get_by_role("list", name="Milepæle i tidsorden").is_visible()
    check_axe(page)


@pytest.mark.parametrize(("path", "heading"), [
    ("/login", "Log ind"),
    ("/tilgaengelighed", "Tilgængelighedserklæring"),
    ("/findes-ikke", "Siden findes ikke"),
])
def test_text_pages_reflow_on_a_phone(
    live_server: str, page: Any, path: str, heading: str
) -> None:
    """Pages of running text need no sideways scrolling at 320 px (WCAG 1.4.10 Reflow).

    KNOWN APP BUG, fails for /tilgaengelighed until fixed: the one-word h1
    “Tilgængelighedserklæring” at 2rem (webapp/static/app.css, `h1 { font-size: 2rem }`) is
    about 475 px wide and cannot wrap, so the whole page scrolls sideways. axe does not test
    this. Suggested fix in app.css: `h1, h2 { overflow-wrap: break-word; hyphens: auto; }`
    (the page is `lang="da"`), or a smaller h1 below 40rem.
    """
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}{path}")
    assert _h1(page) == heading
    overflow = page.evaluate("""() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        h1Width: document.querySelector('h1').scrollWidth,
    })""")
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"KNOWN APP BUG (WCAG 1.4.10): {path} scrolls sideways at 320 px: the page is "
        f"{overflow['scrollWidth']} px wide, the h1 needs {overflow['h1Width']} px; let headings "
        "wrap in webapp/static/app.css (see this test's docstring).")
