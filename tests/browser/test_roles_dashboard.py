"""Every demo role logs in and sees its own "Mine opgaver"; only the secretariat administers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.browser.conftest import DEMO_NOW, PEOPLE, SECRETARIAT, click_and_wait, login
from webapp.demo import nordjylland
from webapp.formatting import LOCAL_TZ

pytestmark = pytest.mark.browser

# One person per role (the demo has a respondent in every municipality and the region; Aalborg
# stands for them).
ROLE_PEOPLE = {
    "secretariat": "sekretariat@nordjylland.example",
    "respondent": "aalborg@nordjylland.example",
    "steering_member": "das@nordjylland.example",
    "user_org_rep": "brugerorg@nordjylland.example",
    "politician": "politiker@nordjylland.example",
    "observer": "observatoer@nordjylland.example",
}

# Spot checks written out by hand, so the expectation is not only derived from the data. The demo
# clock stands at 20.04.2017: the kickoff, the workshop and the DAS meetings are over.
MUST_SEE = {
    "secretariat": ["Første udkast til rammeaftalen til DAS",
                    "Godkendelse i alle byråd og regionsrådet"],
    "respondent": ["Kommunale redegørelser (kapacitetsspørgeskema)",
                   "Høring over udkast til rammeaftale"],
    "steering_member": ["Politisk temadag", "Første udkast til rammeaftalen til DAS"],
    "user_org_rep": ["Høring over udkast til rammeaftale"],
    "politician": ["Politisk temadag", "Godkendelse i alle byråd og regionsrådet"],
    "observer": [],  # only the milestones for everyone, and those are over
}
MUST_NOT_SEE = {
    "secretariat": ["Kommunale redegørelser (kapacitetsspørgeskema)", "Politisk temadag"],
    "respondent": ["Første udkast til rammeaftalen til DAS", "Politisk temadag"],
    "steering_member": ["Kommunale redegørelser (kapacitetsspørgeskema)",
                        # for DAS, but already past
                        "DAS beslutter at styre processen",
                        "DAS-møde: temaer til den politiske temadag",
                        "Frist: DAS' bemærkninger til FU's plan for workshop og temadag"],
    "user_org_rep": ["Kommunale redegørelser (kapacitetsspørgeskema)", "Politisk temadag"],
    "politician": ["Kommunale redegørelser (kapacitetsspørgeskema)",
                   "Første udkast til rammeaftalen til DAS"],
    "observer": ["Kommunale redegørelser (kapacitetsspørgeskema)", "Politisk temadag"],
}


def _ends(milestone: dict[str, Any]) -> datetime:
    return datetime.strptime(milestone["ends"], "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


def expected_tasks(role: str) -> list[str]:
    """The demo cycle's milestones for this role (or for all) not yet over, by deadline."""
    assert DEMO_NOW is not None
    return [m["title"] for m in sorted(nordjylland.MILESTONES, key=_ends)
            if (not m["audience"] or role in m["audience"]) and _ends(m) > DEMO_NOW]


def _main_menu(page: Any) -> Any:
    return page.get_by_role("navigation", name="Hovedmenu")


@pytest.mark.parametrize("role", list(ROLE_PEOPLE))
def test_dashboard_shows_the_roles_tasks(live_server: str, page: Any, role: str) -> None:
    email = ROLE_PEOPLE[role]
    name, roles = PEOPLE[email]
    assert roles == [role]

    login(page, live_server, email)

    assert page.url == f"{live_server}/oversigt"
    assert page.get_by_role("heading", level=1).inner_text() == "Mine opgaver"
    assert name in page.locator("header .user-name").inner_text()
    assert "Rammeaftale 2018" in page.locator("main .lead").inner_text()

    shown = [t.strip() for t in page.locator("ol.task-list h3").all_inner_texts()]
    assert shown == expected_tasks(role)
    for title in MUST_SEE[role]:
        assert title in shown, f"{role} should see “{title}”"
    for title in MUST_NOT_SEE[role]:
        assert title not in shown, f"{role} should not see “{title}”"
    # The milestones for everyone (kickoff, workshop) are over by the demo's clock.
    assert "Workshop for fagfolk og brugerorganisationer" not in shown
    assert "Kickoff-møde" not in shown
    if not shown:
        assert "Du har ingen kommende frister i denne cyklus." in page.locator("main").inner_text()


@pytest.mark.parametrize("role", [r for r in ROLE_PEOPLE if r != "secretariat"])
def test_other_roles_cannot_administer(live_server: str, page: Any, role: str) -> None:
    login(page, live_server, ROLE_PEOPLE[role])

    menu = _main_menu(page)
    assert menu.get_by_role("link", name="Mine opgaver").count() == 1
    assert menu.get_by_role("link", name="Cyklusser").count() == 1
    for link in ("Organisationer", "Personer", "Log"):
        assert menu.get_by_role("link", name=link, exact=True).count() == 0, link

    response = page.goto(f"{live_server}/admin/personer")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Ingen adgang"
    assert "Fejlkode 403" in page.locator("main").inner_text()
    assert SECRETARIAT not in page.content()  # no list of people leaks into the page


def test_secretariat_has_the_admin_pages(live_server: str, page: Any) -> None:
    login(page, live_server, SECRETARIAT)

    menu = _main_menu(page)
    for link in ("Organisationer", "Personer", "Log"):
        assert menu.get_by_role("link", name=link, exact=True).count() == 1, link

    click_and_wait(page, menu.get_by_role("link", name="Personer"))
    assert page.url == f"{live_server}/admin/personer"
    assert page.get_by_role("heading", level=1).inner_text() == "Personer"
    assert page.get_by_role("rowheader", name="Anders Aalborg").count() == 1


def test_anonymous_visitor_is_sent_to_login(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/oversigt")
    assert page.url.startswith(f"{live_server}/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Log ind"
    assert page.locator("header .user-name").count() == 0
