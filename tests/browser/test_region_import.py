"""Issue 15, done when: an operator brings Region Syddanmark onto the platform (the command
line's functions), its first secretariat person sets a password from the invitation, imports
the 22 municipalities and the region from an XLSX file in the browser, checks the preview,
confirms, invites respondents (the import of people) and creates a two-year cycle. axe-core
finds no violation on the import pages at 1280 and 390 px; Syddanmark sees nothing of the
demo's two regions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import check_axe, click_and_wait
from tests.regions.files import xlsx
from webapp.extensions import db
from webapp.models import Cycle, Organisation, OrgKind, Region, User
from webapp.security import make_link_token
from webapp.workflows import regions

pytestmark = pytest.mark.browser

MUNICIPALITIES = ["Assens", "Billund", "Esbjerg", "Fanø", "Fredericia", "Faaborg-Midtfyn",
                  "Haderslev", "Kerteminde", "Kolding", "Langeland", "Middelfart", "Nordfyns",
                  "Nyborg", "Odense", "Svendborg", "Sønderborg", "Tønder", "Varde", "Vejen",
                  "Vejle", "Ærø", "Aabenraa"]
EMAIL = "sekretariat@syddanmark.example"
PASSWORD = "Syddanmark-er-med-nu-2018"


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    path.write_bytes(xlsx(rows))
    return path


def _axe_at_both_widths(page: Any) -> None:
    check_axe(page)
    page.set_viewport_size({"width": 390, "height": 844})
    check_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})


def _upload(page: Any, base_url: str, kind: str, file: Path) -> None:
    page.goto(f"{base_url}/admin/import")
    _axe_at_both_widths(page)
    page.select_option("#kind", kind)
    page.set_input_files("#file", str(file))
    click_and_wait(page, page.get_by_role("button", name="Vis forhåndsvisning"))
    assert page.get_by_role("heading", level=1).inner_text() == "Forhåndsvisning af import"
    _axe_at_both_widths(page)


def test_syddanmark_comes_onto_the_platform(live_server: str, page: Any, app: Any,
                                            tmp_path: Path) -> None:
    with app.app_context():
        operator = regions.operator("Ole Operatør")
        now = app.extensions["clock"].now()
        region = regions.create_region(operator, code="syddanmark", name="Region Syddanmark",
                                       now=now)
        person = regions.invite_secretariat(operator, region, email=EMAIL, name="Sanne Syd",
                                            now=now)
        db.session.commit()
        token = make_link_token("invite", person.id, person.session_nonce)
        db.session.remove()

    page.goto(f"{live_server}/invitation/{token}")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    click_and_wait(page, page.get_by_role("button", name="Gem adgangskode"))

    organisations = [[f"{name} Kommune", "Kommune", f"{name} Byråd", None]
                     for name in MUNICIPALITIES]
    organisations.append(["Region Syddanmark", "Region", "Regionsrådet", None])
    orgs_file = _xlsx(tmp_path / "organisationer.xlsx", [
        ["Navn", "Type", "Byråd eller regionsråd", "Fælles e-mailadresse"], *organisations])
    _upload(page, live_server, "organisationer", orgs_file)
    main = page.get_by_role("main").inner_text()
    assert "Oprettes" in main and "Afvises\n0" in main.replace("\t", "\n")
    click_and_wait(page, page.get_by_role("button", name="Bekræft og gem"))
    assert "23 organisationer oprettet" in page.get_by_role("main").inner_text()

    people_file = _xlsx(tmp_path / "personer.xlsx", [
        ["Navn", "E-mailadresse", "Organisation", "Roller"],
        ["Olga Odense", "olga@odense.example", "Odense Kommune", "Besvarer"],
        ["Vagn Vejle", "vagn@vejle.example", "Vejle Kommune", "Besvarer"],
        ["Rita Region", "rita@regionsyddanmark.example", "Region Syddanmark", "Besvarer"],
        ["Anders Aalborg", "aalborg@nordjylland.example", "Odense Kommune", "Besvarer"],
    ])
    _upload(page, live_server, "personer", people_file)
    main = page.get_by_role("main").inner_text()
    # The demo's Aalborg person is refused without a word of where the address is in use.
    assert "allerede i brug" in main and "Nordjylland" not in main
    click_and_wait(page, page.get_by_role("button", name="Bekræft og gem"))
    assert "3 personer oprettet og inviteret" in page.get_by_role("main").inner_text()

    page.goto(f"{live_server}/cykler/ny")
    page.fill("#title", "Rammeaftale 2019–2020")
    page.fill("#first_year", "2019")
    page.fill("#last_year", "2020")
    click_and_wait(page, page.get_by_role("main").get_by_role("button", name="Gem"))
    assert "Rammeaftale 2019–2020" in page.get_by_role("heading", level=1).inner_text()

    for path in ("/admin/organisationer", "/admin/personer", "/cykler/"):
        page.goto(f"{live_server}{path}")
        text = page.get_by_role("main").inner_text()
        assert "Aalborg" not in text and "Aarhus" not in text, path

    with app.app_context():
        region_id = db.session.scalar(select(Region.id).where(Region.code == "syddanmark"))
        assert db.session.scalar(select(func.count(Organisation.id)).where(
            Organisation.region_id == region_id, Organisation.kind == OrgKind.MUNICIPALITY)) == 22
        assert db.session.scalar(select(func.count(User.id)).join(Organisation).where(
            Organisation.region_id == region_id)) == 4
        cycle = db.session.scalar(select(Cycle).where(Cycle.region_id == region_id))
        assert (cycle.first_year, cycle.last_year) == (2019, 2020)
        db.session.remove()
