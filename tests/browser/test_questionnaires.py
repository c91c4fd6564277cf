"""The capacity questionnaire in the browser, on the demo at 20.04.2017 (11 days left).

Hjørring has not started: its respondent saves a draft, reloads, submits; the secretariat sees it
on the status board and reopens it with a reason; the respondent sees the reason, corrects a
number and submits again. axe-core checks every page on the way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import SECRETARIAT, check_axe, click_and_wait, login

pytestmark = pytest.mark.browser

HJOERRING = "hjoerring@nordjylland.example"
TITLE = "Kapacitetsspørgeskema 2018"
REASON = "Døgnpladserne til udviklingshæmning ser for lave ud. Tjek venligst tallet."


def _h1(page: Any) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _main(page: Any) -> str:
    return page.get_by_role("main").inner_text()


def _cell(page: Any, column: str, group: str) -> Any:
    """A grid cell, found the way a screen reader announces it."""
    return page.get_by_label(f"{column}: {group}", exact=True)


def _logout(page: Any) -> None:
    click_and_wait(page, page.get_by_role("button", name="Log ud"))


def _questionnaire_list(page: Any, base_url: str) -> None:
    """The cycle's questionnaires, from the dashboard's link to the cycle."""
    page.goto(f"{base_url}/oversigt")
    click_and_wait(page, page.get_by_role("link", name="Se hele cyklussen"))
    page.goto(page.url.rstrip("/") + "/skemaer")
    assert _h1(page) == "Spørgeskemaer i Rammeaftale 2018"


def _board_row(page: Any, organisation: str) -> Any:
    return page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=organisation, exact=True))


def test_answer_submit_reopen_and_resubmit(live_server: str, page: Any) -> None:
    # --- the respondent finds the questionnaire ---------------------------------------------
    login(page, live_server, HJOERRING)
    tasks = page.locator("ol.task-list").inner_text()
    assert f"Besvar {TITLE}" in tasks and "ikke påbegyndt" in tasks
    _questionnaire_list(page, live_server)
    row = _board_row(page, TITLE)
    assert "Ikke påbegyndt" in row.inner_text()
    click_and_wait(page, row.get_by_role("link", name=TITLE))
    assert _h1(page) == TITLE
    facts = page.locator("dl.facts").inner_text()
    assert "Hjørring Kommune" in facts and "01.05.2017 kl. 12.00" in facts
    assert "11 dage" in facts and "Ikke påbegyndt" in facts
    answer_url = page.url
    check_axe(page)

    # --- an empty submission is refused, with every problem linked --------------------------
    response = click_and_wait(page, page.get_by_role("button", name="Indsend"))
    assert response.status == 422
    summary = page.get_by_role("alert")
    assert "Besvarelsen er ikke indsendt: nogle svar mangler." in summary.inner_text()
    # Each message with its question's name: the contact person, the plans, both grids.
    assert summary.get_by_role(
        "link", name="Kontaktperson (navn og stilling): Besvar spørgsmålet.").count() == 1
    assert summary.get_by_role("link", name="Besvar spørgsmålet.").count() == 2  # contact, plans
    assert summary.locator('a[href="#q_kontaktperson"]').count() == 1
    for grid in ("Behov og udbud for voksne", "Behov og udbud for børn og unge"):
        assert summary.get_by_role(
            "link", name=f"{grid}: Udfyld skemaet for mindst én målgruppe.").count() == 1
    assert page.locator("#q_kontaktperson").get_attribute("aria-invalid") == "true"
    check_axe(page)

    # --- a draft: contact person, some grid cells, a 1 with its explanation -----------------
    page.fill("#q_kontaktperson", "Hanne Hjørring, teamleder")
    page.fill("#q_kontakt_email", HJOERRING)
    _cell(page, "Pladser i dag – døgn", "Udviklingshæmning").fill("28")
    _cell(page, "Pladser i dag – dag", "Udviklingshæmning").fill("1.040")  # Danish grouping
    _cell(page, "Forventet behov næste år", "Udviklingshæmning").fill("70")
    _cell(page, "Sammenhæng mellem behov og udbud", "Udviklingshæmning").select_option("3")
    _cell(page, "Pladser i dag – døgn", "Hjemløshed").fill("9")
    _cell(page, "Sammenhæng mellem behov og udbud", "Hjemløshed").select_option("1")
    _cell(page, "Bemærkning", "Hjemløshed").fill("Mangler 6 pladser på forsorgshjem (§ 110).")
    _cell(page, "Sammenhæng mellem behov og udbud", "Misbrug").select_option("dont_know")
    _cell(page, "Pladser i dag – døgn", "Børn og unge med handicap").fill("9")
    page.check("#q_planer-ja")
    response = click_and_wait(page, page.get_by_role("button", name="Gem kladde"))
    assert response.status == 200 and page.url == answer_url
    assert "Kladden er gemt" in page.get_by_role("status").inner_text()

    page.reload()
    assert page.locator("#q_kontaktperson").input_value() == "Hanne Hjørring, teamleder"
    assert _cell(page, "Pladser i dag – døgn", "Udviklingshæmning").input_value() == "28"
    assert _cell(page, "Pladser i dag – dag", "Udviklingshæmning").input_value() == "1040"
    assert _cell(page, "Sammenhæng mellem behov og udbud", "Hjemløshed").input_value() == "1"
    assert "forsorgshjem" in _cell(page, "Bemærkning", "Hjemløshed").input_value()
    assert _cell(page, "Sammenhæng mellem behov og udbud", "Misbrug").input_value() == "dont_know"
    assert page.locator("#q_planer-ja").is_checked()
    facts = page.locator("dl.facts").inner_text()
    assert "Kladde" in facts and "20.04.2017 kl. 10.00 af Hanne Hjørring" in facts

    # --- "yes" to plans makes the description required ------------------------------------
    response = click_and_wait(page, page.get_by_role("button", name="Indsend"))
    assert response.status == 422
    assert ("Beskriv planerne: Besvar spørgsmålet. Det er påkrævet, fordi svaret på “Planer om "
            "at oprette, lukke eller ændre tilbud” er “Ja”."
            ) in page.get_by_role("alert").inner_text()
    assert page.locator("#q_kontaktperson").input_value() == "Hanne Hjørring, teamleder"
    page.fill("#q_planer_beskrivelse", "Et nyt bofællesskab (§ 108) med 8 pladser i 2018.")
    page.get_by_label("Stigende").check()
    page.check("#q_samlet-3")
    response = click_and_wait(page, page.get_by_role("button", name="Indsend"))
    assert response.status == 200 and page.url == answer_url
    assert "Besvarelsen er indsendt" in page.get_by_role("status").inner_text()
    # A readable page: the note first, then question → answer, grids as tables; no inputs.
    note = page.locator(".submitted-note").inner_text()
    assert "Indsendt 20.04.2017 kl. 10.00 af Hanne Hjørring." in note
    assert "kan ikke ændres" in note
    assert page.get_by_role("button", name="Indsend").count() == 0
    assert page.locator("#q_kontaktperson").count() == 0
    assert "Hanne Hjørring, teamleder" in page.locator("table.answer-table").first.inner_text()
    assert "1.040" in page.locator("table.answer-grid").first.inner_text()
    check_axe(page)
    printable = click_and_wait(page, page.get_by_role("link", name="Udskriv eller gem som PDF"))
    assert printable.status == 200 and _h1(page) == f"Hjørring Kommune: {TITLE}"
    page.goto(f"{live_server}/oversigt")
    assert f"Se besvarelsen af {TITLE}" in page.locator("ol.task-list").inner_text()
    _logout(page)

    # --- the secretariat: Hjørring is submitted; reopen it with a reason ---------------------
    login(page, live_server, SECRETARIAT)
    _questionnaire_list(page, live_server)
    click_and_wait(page, page.get_by_role("link", name=f"Status {TITLE}"))
    assert _h1(page) == f"Status: {TITLE}"
    assert "7 af 12 har indsendt." in _main(page)  # six in the demo, and Hjørring
    row = _board_row(page, "Hjørring Kommune")
    assert "Indsendt" in row.inner_text() and "Hanne Hjørring" in row.inner_text()
    assert "Genåbnet" in _board_row(page, "Mariagerfjord Kommune").inner_text()
    assert "Forlænget frist" in _board_row(page, "Morsø Kommune").inner_text()
    check_axe(page)

    click_and_wait(page, row.get_by_role("link", name="Genåbn Hjørring Kommune"))
    assert _h1(page) == "Genåbn besvarelsen fra Hjørring Kommune"
    check_axe(page)
    response = click_and_wait(page, page.get_by_role("button", name="Genåbn og giv besked"))
    assert response.status == 422  # a reason is required
    assert page.get_by_role("alert").count() == 1
    check_axe(page)
    page.get_by_role("textbox").fill(REASON)
    click_and_wait(page, page.get_by_role("button", name="Genåbn og giv besked"))
    assert _h1(page) == f"Status: {TITLE}"
    assert "Hjørring Kommune er genåbnet" in page.get_by_role("status").inner_text()
    assert "Genåbnet" in _board_row(page, "Hjørring Kommune").inner_text()
    _logout(page)

    # --- the respondent sees why, corrects a number and submits again -----------------------
    login(page, live_server, HJOERRING)
    page.goto(answer_url)
    notice = page.get_by_role("note").filter(has_text="Genåbnet af sekretariatet")
    assert REASON in notice.inner_text()
    assert _cell(page, "Pladser i dag – døgn", "Udviklingshæmning").input_value() == "28"
    _cell(page, "Pladser i dag – døgn", "Udviklingshæmning").fill("31")
    response = click_and_wait(page, page.get_by_role("button", name="Indsend"))
    assert response.status == 200
    assert "Besvarelsen er indsendt" in page.get_by_role("status").inner_text()
    assert "31" in page.locator("table.answer-grid").first.get_by_role("row").filter(
        has_text="Udviklingshæmning").inner_text()
    assert page.get_by_role("note").filter(has_text="Genåbnet af sekretariatet").count() == 0
    check_axe(page)


def test_results_and_exports(live_server: str, page: Any, app: Any, tmp_path: Path) -> None:
    if "qresults.results" not in app.view_functions:
        pytest.skip("the results page (qresults.results) is not built yet")
    login(page, live_server, SECRETARIAT)
    _questionnaire_list(page, live_server)
    click_and_wait(page, page.get_by_role("link", name=f"Resultater {TITLE}"))
    assert _h1(page) == f"Resultater: {TITLE}"
    assert "af 12 har indsendt." in _main(page)
    check_axe(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Hent som CSV").click()
    path = tmp_path / "svar.csv"
    csv_download.value.save_as(path)
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")),
                                    delimiter=";"))
    by_org = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(by_org) == 12  # every recipient, answered or not
    aalborg = by_org["Aalborg Kommune"]
    assert aalborg["Status"].lower() == "indsendt" and aalborg["Indsendt af"] == "Anders Aalborg"
    assert aalborg["Behov og udbud for voksne – Udviklingshæmning – Pladser i dag – døgn"] \
        == "143"
    assert aalborg["Behov og udbud for voksne – Hjemløshed – Sammenhæng mellem behov og udbud"] \
        == "2"
    draft = by_org["Jammerbugt Kommune"]
    assert draft["Status"].lower() == "i gang" and draft["Kontaktperson (navn og stilling)"] == ""

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Hent som Excel (XLSX)").click()
    path = tmp_path / "svar.xlsx"
    xlsx_download.value.save_as(path)
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:2] == ["Organisation", "Status"]
    assert {r[0] for r in table[1:]} == set(by_org)


@pytest.mark.parametrize("width", [1280, 390])
def test_steering_group_reads_status_and_results(live_server: str, page: Any,
                                                width: int) -> None:
    """DAS reads who has answered and the results from the questionnaire list, without the
    secretariat's buttons; axe-clean and without sideways scrolling on a phone."""
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "das@nordjylland.example")
    _questionnaire_list(page, live_server)
    assert "Ikke modtager" not in _main(page)
    click_and_wait(page, page.get_by_role("link", name=f"Hvem har svaret – {TITLE}"))
    assert _h1(page) == f"Status: {TITLE}"
    counts = page.locator(".response-counts").inner_text()
    assert "af 12 har indsendt." in counts and "ikke påbegyndt." in counts
    assert page.locator("a[href*='/genaabn'], a[href*='/frist/']").count() == 0
    assert "Forlænget frist til 15.05.2017" in _board_row(page, "Morsø Kommune").inner_text()
    check_axe(page, f"status {width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    click_and_wait(page, page.get_by_role("link", name="Se resultaterne"))
    assert _h1(page) == f"Resultater: {TITLE}"
    assert page.locator(".response-counts").inner_text() == counts
    assert page.get_by_role("link", name="Hent som CSV").count() == 0
    check_axe(page, f"results {width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
