"""The secretariat's main job in the browser: copy last cycle, adjust a date, see it in the log."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import RESPONDENT, SECRETARIAT, click_and_wait, login

pytestmark = pytest.mark.browser

APPROVAL = "Godkendelse i alle byråd og regionsrådet"
QUESTIONNAIRE = "Kommunale redegørelser (kapacitetsspørgeskema)"


def _h1(page: Any) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _row(page: Any, title: str) -> Any:
    """The milestone table's row for `title`: cells are type, start, end, status(, actions)."""
    return page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=title, exact=True))


def _dates(page: Any, title: str) -> tuple[str, str]:
    cells = _row(page, title).get_by_role("cell")
    return cells.nth(1).inner_text().strip(), cells.nth(2).inner_text().strip()


def _actions_in(page: Any) -> list[str]:
    """The action column of the audit table, in Danish words."""
    return [a.strip() for a in page.locator("table.audit tbody td:nth-child(3)").all_inner_texts()]


def test_clone_move_and_audit(live_server: str, page: Any) -> None:
    login(page, live_server, SECRETARIAT)

    # Open the demo cycle from the list and copy it.
    menu = page.get_by_role("navigation", name="Hovedmenu")
    click_and_wait(page, menu.get_by_role("link", name="Cyklusser"))
    click_and_wait(page, page.get_by_role("link", name="Rammeaftale 2018", exact=True))
    assert _h1(page).startswith("Rammeaftale 2018")
    source_url = page.url
    assert _dates(page, APPROVAL) == ("18.09.2017 kl. 08.00", "15.10.2017 kl. 23.59")

    click_and_wait(page, page.get_by_role("link", name="Kopiér til ny cyklus"))
    assert _h1(page) == "Kopiér “Rammeaftale 2018” til en ny cyklus"
    assert page.locator("#title").input_value() == "Rammeaftale 2019"  # a sensible suggestion
    page.fill("#title", "Rammeaftale 2021")
    page.fill("#first_year", "2021")
    page.fill("#last_year", "2021")
    response = click_and_wait(page, page.get_by_role("button", name="Opret kopi"))
    assert response.status == 200, page.locator("main").inner_text()

    # Three years later some milestones fall on a weekend: the copy says so first (issue 9).
    assert _h1(page) == "Milepæle på fridage"
    assert "er oprettet som kopi af “Rammeaftale 2018”" in page.get_by_role("status").inner_text()
    assert "søndag 01.03.2020 → flyt til fredag 28.02.2020" in page.locator("main").inner_text()
    click_and_wait(page, page.get_by_role("link", name="Behold datoerne"))

    # The new cycle: a draft with every milestone, three years later.
    assert _h1(page).startswith("Rammeaftale 2021")
    assert "Kladde" in page.locator("h1 .badge").inner_text()
    new_url = page.url
    assert new_url != source_url
    assert page.get_by_role("link", name="Rammeaftale 2018", exact=True).count() >= 1
    table = page.get_by_role("table", name="Milepæle i Rammeaftale 2021, i tidsorden")
    assert table.locator("tbody tr").count() == 11
    assert _dates(page, APPROVAL) == ("18.09.2020 kl. 08.00", "15.10.2020 kl. 23.59")
    assert _dates(page, QUESTIONNAIRE) == ("01.03.2020 kl. 08.00", "01.05.2020 kl. 12.00")

    # Move the capacity questionnaire a week later.
    row = _row(page, QUESTIONNAIRE)
    click_and_wait(page, row.get_by_role("link", name=f"Flyt {QUESTIONNAIRE}"))
    assert _h1(page) == f"Flyt “{QUESTIONNAIRE}”"
    page.fill("#days", "7")
    submit = page.get_by_role("main").get_by_role("button", name="Flyt", exact=True)
    response = click_and_wait(page, submit)
    assert response.status == 200, page.locator("main").inner_text()
    assert page.url == new_url
    assert "1 milepæl er flyttet." in page.get_by_role("status").inner_text()
    assert _dates(page, QUESTIONNAIRE) == ("08.03.2020 kl. 08.00", "08.05.2020 kl. 12.00")
    assert _dates(page, APPROVAL) == ("18.09.2020 kl. 08.00", "15.10.2020 kl. 23.59")

    # The cycle's history shows the copy and the move, newest first.
    click_and_wait(page, page.get_by_role("link", name="Historik"))
    assert _h1(page) == "Historik for Rammeaftale 2021"
    actions = _actions_in(page)
    assert "Cyklus kopieret fra en tidligere" in actions
    assert "Milepæl flyttet" in actions
    assert actions.index("Milepæl flyttet") < actions.index("Cyklus kopieret fra en tidligere")
    moved = page.get_by_role("row").filter(has=page.get_by_text("Milepæl flyttet", exact=True))
    assert QUESTIONNAIRE in moved.inner_text()
    assert "Sara Sekretær" in moved.inner_text()
    assert "Antal dage: 7" in moved.inner_text()
    assert "Slutter/frist: 08.05.2020 kl. 12.00" in moved.inner_text(), "local Danish times"

    # And so does the region's log, filtered on the action: unfiltered, the demo's later story
    # (the consultation in August–September 2017) stands on top of today's events.
    page.goto(f"{live_server}/admin/log?handling=cycle.cloned")
    assert _h1(page) == "Log over ændringer og e-mails"
    assert "Cyklus kopieret fra en tidligere" in _actions_in(page)
    page.select_option("#handling", label="Milepæl flyttet")
    click_and_wait(page, page.get_by_role("button", name="Filtrér"))
    assert "handling=milestone.moved" in page.url
    assert _actions_in(page) == ["Milepæl flyttet"]

    # The source cycle is untouched.
    page.goto(source_url)
    assert _dates(page, QUESTIONNAIRE) == ("01.03.2017 kl. 08.00", "01.05.2017 kl. 12.00")


def test_wrong_password_keeps_the_email(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", RESPONDENT)
    page.fill("#password", "ikke-den-rigtige")
    response = click_and_wait(page, page.get_by_role("main").get_by_role("button", name="Log ind"))

    assert response.status == 422
    assert page.url.startswith(f"{live_server}/login")
    assert _h1(page) == "Log ind"
    assert "E-mailadressen eller adgangskoden er forkert." in page.get_by_role("alert").inner_text()
    assert page.locator("#email").input_value() == RESPONDENT
    assert page.locator("#password").input_value() == ""
    assert page.locator("header .user-name").count() == 0

    # The right password still works afterwards.
    login(page, live_server, RESPONDENT)
    assert page.url == f"{live_server}/oversigt"
    assert "Anders Aalborg" in page.locator("header .user-name").inner_text()
