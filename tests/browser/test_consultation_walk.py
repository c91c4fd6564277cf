"""Issue 11, "Done when": the demo's consultation walked through in Chromium.

A user organisation's person writes a response with a section comment and a PDF, saves,
submits and sees the receipt; before the deadline no other response is visible to them, after
it all are; the secretariat processes the response and downloads the note as DOCX; the final
version's comparison shows what changed. axe finds nothing and nothing scrolls sideways at
390 px on these pages. The app clock is moved into and past the period (14.08–11.09.2017).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import select

from tests.browser.conftest import SECRETARIAT, click_and_wait, login
from tests.browser.main_pages import DemoIds, demo_ids
from tests.browser.test_reflow import holds_at_both_widths as _holds
from webapp.demo.consultation import pdf
from webapp.demo.nordjylland import DEMO_PASSWORD
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import Organisation, Role, TextVersion
from webapp.permissions import SYSTEM
from webapp.workflows import accounts

pytestmark = pytest.mark.browser

PERSON = "sind@nordjylland.example"
GENERAL = "SIND Nordjylland bakker op om samarbejdet med behandlingspsykiatrien."
POINT = "Husk de pårørende, når overgangene fra indlæggelse planlægges."
SUMMARY = "SIND Nordjylland ønsker de pårørende med i overgangene."
AALBORG = "Ældre- og Handicapforvaltningen takker for udkastet"


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    """The demo's ids, and a person for SIND Nordjylland: a user organisation on the list
    that has not answered yet."""
    found = demo_ids(app)
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(
            Organisation.name == "SIND Nordjylland"))
        assert org is not None
        accounts.create_user(SYSTEM, email=PERSON, name="Søren Sind", organisation=org,
                             roles=[Role.USER_ORG_REP], password=DEMO_PASSWORD,
                             now=_local("2017-08-01T09:00"))
        db.session.commit()
        db.session.remove()
    return found


def _versions(app: Any, text_id: int) -> list[int]:
    with app.app_context():
        found = list(db.session.scalars(select(TextVersion.id).where(
            TextVersion.text_id == text_id).order_by(TextVersion.number)))
        db.session.remove()
    return found


def test_a_party_answers_and_the_secretariat_processes(app: Any, live_server: str,
                                                       ids: DemoIds, page: Any, clock: Any,
                                                       tmp_path: Path) -> None:
    c = ids.consultation
    # During the period: the party writes, saves, attaches a PDF and submits.
    clock.set(_local("2017-08-30T10:00"))
    login(page, live_server, PERSON)
    page.goto(f"{live_server}/hoeringer/{c}/svar")
    _holds(page, "the response form")
    main = page.get_by_role("main")
    page.fill("#general_text", GENERAL)
    page.select_option("#new_section",
                       label="3.2 Samarbejde mellem kommunerne og behandlingspsykiatrien")
    page.fill("#new_body", POINT)
    attachment = tmp_path / "SIND høringssvar.pdf"
    attachment.write_bytes(pdf(["SIND Nordjylland", "Høringssvar til Rammeaftale 2018"]))
    page.set_input_files("#attachment", str(attachment))
    click_and_wait(page, main.get_by_role("button", name="Gem kladde"))
    text = main.inner_text()
    assert "Kladden er gemt" in text and "SIND høringssvar.pdf" in text
    assert page.input_value("#general_text") == GENERAL
    click_and_wait(page, main.get_by_role("button", name="Indsend høringssvar"))
    assert page.url.endswith(f"/hoeringer/{c}/svar/kvittering")
    receipt = main.inner_text()
    assert "Kvittering for høringssvar" in receipt
    assert GENERAL in receipt and POINT in receipt and "SIND høringssvar.pdf" in receipt
    _holds(page, "the receipt")

    # Before the deadline nobody else's response is shown to the party.
    answer = page.goto(f"{live_server}/hoeringer/{c}/hoeringssvar")
    assert answer is not None and answer.status == 404
    page.goto(f"{live_server}/hoeringer/{c}")
    assert AALBORG not in page.get_by_role("main").inner_text()

    # After the deadline every invited party reads them all.
    clock.set(_local("2017-09-20T10:00"))
    answer = page.goto(f"{live_server}/hoeringer/{c}/hoeringssvar")
    assert answer is not None and answer.status == 200
    published = main.inner_text()
    assert AALBORG in published and GENERAL in published
    assert "Hjørring Kommune" in published
    _holds(page, "the published responses")

    # The secretariat processes the new response and downloads the note.
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/hoeringer/{c}/behandling")
    _holds(page, "the processing list")
    row = main.get_by_role("row").filter(has_text="SIND Nordjylland")
    click_and_wait(page, row.get_by_role("link").first)
    _holds(page, "the processing form")
    main.get_by_label("Resumé af høringssvaret").fill(SUMMARY)
    main.get_by_label("Vurdering af de generelle bemærkninger").select_option(
        label="Taget til efterretning")
    point = main.get_by_role("group", name="Punkt 1")
    point.get_by_label("Vurdering").select_option(label="Indarbejdet")
    point.get_by_label("Ændrede afsnit i næste version").select_option(
        label="3.2 Samarbejde mellem kommunerne og behandlingspsykiatrien")
    click_and_wait(page, main.get_by_role("button", name="Gem behandlingen"))
    assert "er gemt" in main.inner_text()

    page.goto(f"{live_server}/hoeringer/{c}/hoeringsnotat")
    note = main.inner_text()
    assert SUMMARY in note and "fra den 14. august 2017 til den 11. september 2017" in note
    _holds(page, "the note")
    with page.expect_download() as download:
        main.get_by_role("link", name="Hent høringsnotatet som Word-dokument (DOCX)").click()
    with open(download.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert SUMMARY in words and "SIND Nordjylland" in words

    # The final version's comparison with the consulted one shows what the responses changed.
    first, final = _versions(app, ids.agreement_text)
    page.goto(f"{live_server}/tekster/{ids.agreement_text}/sammenlign?fra={first}&til={final}")
    inserted = " ".join(page.locator(".diff-section ins").all_inner_texts())
    assert "brugerorganisationerne inddrages" in inserted
    assert "konkrete milepæle" in inserted
    _holds(page, "the comparison")
