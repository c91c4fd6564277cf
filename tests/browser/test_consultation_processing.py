"""The secretariat processes a consultation response and downloads the note, in Chromium; the
processing list, the form and the note hold at 320 px and axe finds nothing (issue 11)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from tests.browser.conftest import SECRETARIAT, check_axe, click_and_wait, login
from tests.browser.main_pages import DemoIds, demo_ids
from tests.browser.test_reflow import SIDEWAYS_CULPRITS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    return demo_ids(app)


def _pages(ids: DemoIds) -> list[str]:
    return [f"/hoeringer/{ids.answered_consultation}/behandling",
            f"/hoeringssvar/{ids.consultation_response}/behandling",
            f"/hoeringer/{ids.answered_consultation}/hoeringsnotat"]


def test_pages_reflow_and_pass_axe(page: Any, live_server: str, ids: DemoIds) -> None:
    login(page, live_server, SECRETARIAT)
    for path in _pages(ids):
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(live_server + path)
        assert response is not None and response.status == 200, path
        check_axe(page)
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate(SIDEWAYS_CULPRITS) == [], (path, width)
        check_axe(page)


def test_secretariat_processes_a_response_and_downloads_the_note(
        page: Any, live_server: str, ids: DemoIds) -> None:
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/hoeringer/{ids.answered_consultation}/behandling")
    link = page.locator(f'a[href="/hoeringssvar/{ids.consultation_response}/behandling"]')
    click_and_wait(page, link)
    main = page.get_by_role("main")
    # Without a reason for "Ikke indarbejdet" the form says so at the field.
    main.get_by_label("Resumé af høringssvaret").fill("Kommunen ønsker konkrete milepæle.")
    main.get_by_label("Vurdering af de generelle bemærkninger").select_option(
        label="Ikke indarbejdet")
    # Each point's fields sit in a fieldset named by the point ("Punkt 1: afsnit 2.1 …").
    first = main.get_by_role("group", name="Punkt 1")
    first.get_by_label("Vurdering").select_option(label="Indarbejdet")
    first.get_by_label("Ændrede afsnit i næste version").select_option(
        label="3.2 Samarbejde mellem kommunerne og behandlingspsykiatrien")
    main.get_by_role("group", name="Punkt 2").get_by_label("Vurdering").select_option(
        label="Taget til efterretning")
    answer = click_and_wait(page, main.get_by_role("button", name="Gem behandlingen"))
    assert answer.status == 422
    assert page.locator("#outcome_reason-error").is_visible()
    assert main.get_by_label("Resumé af høringssvaret").input_value() == (
        "Kommunen ønsker konkrete milepæle.")
    check_axe(page)
    main.get_by_label("Begrundelse for vurderingen").fill("Fokusområderne vedtages politisk.")
    click_and_wait(page, main.get_by_role("button", name="Gem behandlingen"))
    assert "/behandling" in page.url and "er gemt" in page.get_by_role("main").inner_text()

    page.goto(f"{live_server}/hoeringer/{ids.answered_consultation}/hoeringsnotat")
    note = page.get_by_role("main")
    assert note.get_by_role("heading", name="3.2 Samarbejde mellem kommunerne og "
                            "behandlingspsykiatrien").first.is_visible()
    assert "Kommunen ønsker konkrete milepæle." in note.inner_text()
    with page.expect_download() as download:
        note.get_by_role("link", name="Hent høringsnotatet som Word-dokument (DOCX)").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".docx")
    with open(path, "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert any(p.style is not None and p.style.name == "Heading 1"
               and p.text == "1. Høringen" for p in document.paragraphs)
