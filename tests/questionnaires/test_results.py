"""Results, heatmap, exports and the printable response page (secretariat only)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tests import factories as f
from tests.questionnaires.test_answering import complete
from webapp.charts import HEAT_COLOURS, contrast, text_colour
from webapp.exports import danish_number, download_name, write_csv, write_xlsx
from webapp.extensions import db as _db
from webapp.formatting import danish_key
from webapp.models import (
    MilestoneKind,
    OrgKind,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    ResponseState,
    Role,
    Section,
    Submission,
)
from webapp.queries.questionnaires import summarise_options, summarise_scale
from webapp.workflows.questionnaires import builder as build


def html(response):
    return response.get_data(as_text=True)


def text_of(page):
    """The page's text without tags and with collapsed white space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def recipient(q, org):
    _db.session.add(QuestionnaireRecipient(questionnaire_id=q.id, organisation_id=org.id))


def submit_rows(q, org, answers, when, by="Anne Andersen", state=ResponseState.SUBMITTED,
                draft=None, response=None):
    """A response and a Submission row, as the submit workflow leaves them (fast)."""
    if response is None:
        response = QuestionnaireResponse(questionnaire_id=q.id, organisation_id=org.id,
                                         prefilled=[],
                            created_at=when)
        _db.session.add(response)
    response.state = state
    response.answers = draft if draft is not None else answers
    response.updated_at = response.submitted_at = when
    response.updated_by_name = response.submitted_by_name = by
    _db.session.flush()
    _db.session.add(Submission(response_id=response.id, questionnaire_id=q.id,
                               organisation_id=org.id, submitted_at=when, submitted_by_name=by,
                               answers=answers))
    _db.session.flush()
    return response


@pytest.fixture
def capacity(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    return q, groups


@pytest.fixture
def answered(db, world, capacity):
    """Three organisations count (one reopened), one has only a draft, one has not started."""
    q, groups = capacity
    region = world["north"]["region"]
    g, h = str(groups["Udviklingshæmning"].id), str(groups["Hjemløshed"].id)
    a = world["north"]["municipality"]  # "Kommune north", already a recipient
    b = f.organisation(region, name="Brønderslev Kommune")
    c = f.organisation(region, name="Aalborg Kommune")
    d = f.organisation(region, name="Ærø Kommune")
    e = f.organisation(region, name="Hjørring Kommune")
    for org in (b, c, d, e):
        recipient(q, org)
    submit_rows(q, a, {
        "kontaktperson": "Anne Andersen", "pladser": 2643, "budget": 1.8,
        "opgjort": "2017-03-01", "nye_tilbud": True, "tendens": "Stigende",
        "omraader": ["Bolig", "Døgn"], "samlet": 4,
        "voksne": {g: {"doegn": 12, "behov": 14, "sammenhaeng": 2,
                       "bemaerkning": "Mangler 2 pladser"},
                   h: {"sammenhaeng": "dont_know"}}}, f.at(2017, 3, 10, 9, 0))
    submit_rows(q, b, {
        "kontaktperson": "Bo Berg", "pladser": 100, "budget": 2.5, "opgjort": "2017-02-01",
        "nye_tilbud": False, "tendens": "Uændret", "omraader": ["Bolig"], "samlet": 5,
        "voksne": {g: {"doegn": 3, "behov": 5, "sammenhaeng": 4},
                   h: {"doegn": 1, "behov": 1, "sammenhaeng": 1, "bemaerkning": "Ingen"}}},
        f.at(2017, 3, 11, 14, 30), by="Bo Berg")
    # Reopened: the first submission counts, not the draft that is being changed now.
    first = submit_rows(q, d, {"kontaktperson": "Dorte", "pladser": 50, "budget": 1.0,
                               "samlet": "dont_know", "nye_tilbud": True},
                        f.at(2017, 3, 5, 8, 0), by="Dorte Dahl")
    first.state = ResponseState.REOPENED
    first.answers = {"kontaktperson": "Dorte", "pladser": 7777}
    # Only a draft: never counted.
    db.session.add(QuestionnaireResponse(questionnaire_id=q.id, organisation_id=c.id,
                            state=ResponseState.DRAFT, prefilled=[],
                            answers={"kontaktperson": "Carl", "pladser": 999999, "budget": 99.0},
                            created_at=f.at(2017, 3, 9), updated_at=f.at(2017, 3, 9)))
    db.session.commit()
    return {"q": q, "groups": groups, "a": a, "b": b, "c": c, "d": d, "e": e}


# --- pure pieces -------------------------------------------------------------------------------


def test_summaries_and_helpers():
    scale = summarise_scale([1, 5, 5, "dont_know", None, 7])
    assert scale.counts == {1: 1, 2: 0, 3: 0, 4: 0, 5: 2}
    assert scale.dont_know == 1 and scale.answered == 4 and scale.mean == pytest.approx(11 / 3)
    options = summarise_options([["Dag"], ["Bolig", "Dag"], None, ["Gammel"]],
                                ["Bolig", "Dag"], multiple=True)
    assert options.rows == [("Bolig", 1), ("Dag", 2), ("Gammel", 1)] and options.answered == 3
    # Æ, Ø, Å after Z, and a leading "Aa" is Å (Aalborg comes last, as in the agreements).
    assert sorted(["Ærø", "Aalborg", "Århus", "Østerby", "Zealand"], key=danish_key) == [
        "Zealand", "Ærø", "Østerby", "Aalborg", "Århus"]
    assert [danish_number(v) for v in (2643, 1.8, 2.0, -3.25, 1e20)] == [
        "2643", "1,8", "2", "-3,25", "100000000000000000000"]
    assert download_name("Kapacitet: Børn/unge 2018", "csv") == "Kapacitet-Børn-unge-2018.csv"
    # Every colour of the scale carries readable text (WCAG 1.4.3, 4.5:1).
    for colour in HEAT_COLOURS.values():
        assert contrast(colour, text_colour(colour)) >= 4.5


def test_writers_guard_formulas_and_keep_numbers():
    data = write_csv(["Navn", "Tal"], [["=HYPERLINK(\"x\")", 1.5], ["a;b \"c\"", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Navn", "Tal"], ["'=HYPERLINK(\"x\")", "1,5"], ["a;b \"c\"", ""]]
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx(["Navn", "Tal"],
                                                        [["=1+1", 2], ["x\x07y", 2.5]])))
    sheet = book.active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 2 and sheet["B3"].value == 2.5 and sheet["A3"].value == "xy"


# --- the results page --------------------------------------------------------------------------


def test_results_page_summaries(client, world, answered, login_as):
    q = answered["q"]
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/resultater"))
    text = text_of(page)
    # Five recipients; A and B have submitted; the reopened D is being corrected, so it is not
    # "indsendt", but its last submission counts in the results; the draft-only C and E do not.
    assert "2 af 5 har indsendt. 1 genåbnet, 1 i gang, 1 ikke påbegyndt." in text
    assert "bygger på 3 besvarelser" in text
    assert "999.999" not in text and "Carl" not in text and "7.777" not in text

    def section(key):
        start = page.index(f'id="resultat-{key}"')
        end = page.find('<div class="result"', start + 1)
        return text_of(page[start:end if end > 0 else len(page)])

    assert "Antal svar 3 Sum 2.793 Gennemsnit 931,0" in section("pladser")
    assert "Antal svar 3 Sum 5,3 Gennemsnit 1,8" in section("budget")
    assert "Ja 2 Nej 1 Har svaret 3" in section("nye_tilbud")
    assert "Stigende 1 Uændret 1 Faldende 0 Har svaret 2" in section("tendens")
    assert "Bolig 2 Dag 0 Døgn 1 Har svaret 2" in section("omraader")
    # Scale: 4 and 5 once each, one "Ved ikke"; the mean is of 1–5 only.
    assert "Antal 0 0 0 1 1 1 4,5" in section("samlet")
    assert "Antal svar 2 Tidligste 01.02.2017 Seneste 01.03.2017" in section("opgjort")
    kontakt = section("kontaktperson")
    assert "Vis de 3 svar" in kontakt and "Brønderslev Kommune Bo Berg" in kontakt
    assert "Ærø Kommune Dorte" in kontakt
    # Organisations in Danish order: Brønderslev, Kommune north, Ærø.
    assert kontakt.index("Brønderslev") < kontakt.index("Kommune north") < kontakt.index("Ærø")
    grid = section("voksne")
    assert ("Brønderslev Kommune 3 1 4 Kommune north 12 – 12 Ærø Kommune – – 0 "
            "I alt 15 1 16") in grid
    assert "Bemærkning Vis de 2 svar" in grid
    assert "Kommune north Udviklingshæmning Mangler 2 pladser" in grid


def test_heatmap_svg_and_table(client, world, answered, login_as):
    q, groups = answered["q"], answered["groups"]
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/resultater"))
    svg = re.search(r'<svg[^>]*class="chart heatmap".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "1 svar er “Ved ikke”, 2 er ikke besvaret" in svg  # the description counts them
    cells = {}
    for kind, title in re.findall(
            r'<g class="heat-cell heat-([\w-]+)">(?:(?!</g>).)*<title>([^<]*)</title>', svg):
        cells[title] = kind
    assert cells["Kommune north – Udviklingshæmning: 2"] == "v2"
    assert cells["Kommune north – Hjemløshed: Ved ikke"] == "dont-know"
    assert cells["Ærø Kommune – Udviklingshæmning: Ikke besvaret"] == "missing"
    assert cells["Brønderslev Kommune – Hjemløshed: 1"] == "v1"
    # The coloured cell writes its number, "Ved ikke" a "?", missing a "–".
    two = re.search(r'<g class="heat-cell heat-v2">(.*?)</g>', svg).group(1)
    assert f'fill="{HEAT_COLOURS[2]}"' in two and ">2</text>" in two
    assert ">?</text>" in re.search(r'<g class="heat-cell heat-dont-know">(.*?)</g>',
                                    svg).group(1)
    assert 'stroke-dasharray="3 3"' in re.search(r'<g class="heat-cell heat-missing">(.*?)</g>',
                                                 svg).group(1)
    # The legend names every kind of cell.
    assert "1 = laveste" in svg and "5 = højeste" in svg and "Ikke besvaret" in svg
    # The table beside it has the same numbers.
    table = text_of(re.search(r'<table class="table result-table grid-result heat-table">'
                              r'.*?</table>', page, re.S).group(0))
    assert (f"Organisation {groups['Udviklingshæmning'].name} {groups['Hjemløshed'].name} "
            "Brønderslev Kommune 4 1 Kommune north 2 Ved ikke Ærø Kommune – – "
            "Gennemsnit (1–5) 3,0 1,0") in table


def test_results_through_the_answering_views(client, db, world, capacity, login_as, clock):
    q, groups = capacity
    clock.set(f.at(2017, 3, 10, 9))
    login_as(Role.RESPONDENT)
    client.post(f"/skemaer/{q.id}/besvar", data={**complete(groups), "action": "submit"})
    client.post("/logout")
    login_as(Role.SECRETARIAT)
    text = text_of(html(client.get(f"/skemaer/{q.id}/resultater")))
    assert "1 af 1 har indsendt." in text
    assert "Sum 2.643" in text and "Sum 1,8" in text
    index = html(client.get(f"/cykler/{q.cycle_id}/skemaer"))
    assert f'href="/skemaer/{q.id}/resultater"' in index


def test_nothing_submitted_yet(client, world, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/skemaer/{q.id}/resultater"))
    assert "0 af 1 har indsendt." in text_of(page)
    assert "Ingen har indsendt endnu" in page and "<svg" not in page


# --- exports -----------------------------------------------------------------------------------


def test_csv_export(client, world, answered, login_as):
    q, groups = answered["q"], answered["groups"]
    login_as(Role.SECRETARIAT)
    result = client.get(f"/skemaer/{q.id}/eksport.csv")
    assert result.status_code == 200
    assert result.mimetype == "text/csv"
    assert result.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    assert result.headers["Content-Disposition"].startswith("attachment")
    assert "Kapacitet.csv" in result.headers["Content-Disposition"]
    body = result.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    header = rows[0]
    assert header[:7] == ["Organisation", "Status", "Indsendt", "Indsendt af", "Kontaktperson",
                          "Antal pladser i alt", "Budget (mio. kr.)"]
    g = groups["Udviklingshæmning"].name
    cell = f"Behov og udbud for voksne – {g} – Sammenhæng mellem behov og udbud"
    assert cell in header
    by_org = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert list(by_org) == ["Brønderslev Kommune", "Hjørring Kommune", "Kommune north",
                            "Ærø Kommune", "Aalborg Kommune"]
    north = by_org["Kommune north"]
    assert north["Status"] == "indsendt" and north["Indsendt"] == "10.03.2017 kl. 09.00"
    assert north["Indsendt af"] == "Anne Andersen"
    assert north["Antal pladser i alt"] == "2643" and north["Budget (mio. kr.)"] == "1,8"
    assert north["Planlægger I nye tilbud?"] == "Ja" and north["Områder"] == "Bolig; Døgn"
    assert north["Opgjort pr."] == "01.03.2017" and north[cell] == "2"
    assert north[f"Behov og udbud for voksne – {groups['Hjemløshed'].name} – "
                 "Sammenhæng mellem behov og udbud"] == "Ved ikke"
    assert by_org["Ærø Kommune"]["Status"] == "genåbnet"
    assert by_org["Ærø Kommune"]["Antal pladser i alt"] == "50"  # the submission, not the draft
    draft = by_org["Aalborg Kommune"]
    assert draft["Status"] == "i gang" and draft["Antal pladser i alt"] == ""
    assert draft["Indsendt"] == "" and by_org["Hjørring Kommune"]["Status"] == "ikke påbegyndt"


def test_xlsx_export(client, world, answered, login_as):
    q, groups = answered["q"], answered["groups"]
    login_as(Role.SECRETARIAT)
    result = client.get(f"/skemaer/{q.id}/eksport.xlsx")
    assert result.status_code == 200
    assert result.mimetype.endswith("spreadsheetml.sheet")
    assert "Kapacitet.xlsx" in result.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(result.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:6] == ["Organisation", "Status", "Indsendt", "Indsendt af", "Kontaktperson",
                          "Antal pladser i alt"]
    by_org = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    north = by_org["Kommune north"]
    assert north["Antal pladser i alt"] == 2643 and north["Budget (mio. kr.)"] == 1.8
    assert north["Indsendt"] == "10.03.2017 kl. 09.00"
    doegn = f"Behov og udbud for voksne – {groups['Udviklingshæmning'].name} – " \
            "Pladser i dag – døgn"
    assert north[doegn] == 12
    # Number cells are numbers, not text.
    col = header.index("Antal pladser i alt") + 1
    row = [r[0] for r in rows].index("Kommune north") + 1
    assert sheet.cell(row=row, column=col).data_type == "n"
    assert by_org["Aalborg Kommune"]["Antal pladser i alt"] is None
    assert sheet.freeze_panes == "B2"


# --- the printable response, year on year ------------------------------------------------------


def _loaded(qid):
    return _db.session.scalar(
        select(Questionnaire).where(Questionnaire.id == qid)
        .options(joinedload(Questionnaire.cycle), joinedload(Questionnaire.milestone),
                 selectinload(Questionnaire.sections).selectinload(Section.questions),
                 selectinload(Questionnaire.recipients)))


def test_printable_response_with_history_and_last_year(client, db, world, answered, login_as):
    north = world["north"]
    source = _loaded(answered["q"].id)
    secretariat = db.session.get(type(north["users"][Role.SECRETARIAT]),
                                 north["users"][Role.SECRETARIAT].id)
    cycle = f.cycle(north["region"], title="Rammeaftale 2019", first_year=2019)
    ms = f.milestone(cycle, f.at(2018, 5, 1, 12), kind=MilestoneKind.QUESTIONNAIRE,
                     starts_at=f.at(2018, 3, 1, 8))
    db.session.refresh(secretariat, ["organisation", "grants"])
    clone = build.clone_questionnaire(secretariat, source, cycle, milestone=ms,
                                      title="Kapacitet 2019", now=f.at(2018, 1, 5))
    groups = answered["groups"]
    g = str(groups["Udviklingshæmning"].id)
    org = answered["a"]
    first = submit_rows(clone, org, {"kontaktperson": "Anne Andersen", "pladser": 2000,
                                     "voksne": {g: {"doegn": 10}}}, f.at(2018, 3, 5, 10, 15),
                        by="Anne Andersen")
    submit_rows(clone, org, {"kontaktperson": "Anne Andersen", "pladser": 3000,
                             "budget": 2.25, "samlet": "dont_know",
                             "voksne": {g: {"doegn": 13, "sammenhaeng": 3}}},
                f.at(2018, 4, 2, 13, 45), by="Bjarne Bach", response=first)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    result = client.get(f"/skemaer/{clone.id}/besvarelser/{org.id}")
    assert result.status_code == 200
    page = html(result)
    text = text_of(page)
    assert "Udskriv" in text and "Kommune north: Kapacitet 2019" in text
    assert "Besvarelsen er foretaget af Bjarne Bach, indsendt 02.04.2018 kl. 13.45" in text
    assert "Status Indsendt" in text
    # This year beside last year, per question key ...
    assert "Antal pladser i alt 3.000 2.643" in text
    assert "Budget (mio. kr.) 2,25 1,8" in text
    assert "Samlet sammenhæng Ved ikke 4" in text
    assert "Planlægger I nye tilbud? – Ja" in text
    assert "Kapacitet (Rammeaftale 2018 north), indsendt 10.03.2017 kl. 09.00" in text
    # ... and per grid cell.
    assert "13 Sidste år: 12" in text and "3 Sidste år: 2" in text
    # Every submission, newest first.
    history = text[text.index("Indsendelser"):]
    assert history.index("02.04.2018 kl. 13.45 Bjarne Bach") < history.index(
        "05.03.2018 kl. 10.15 Anne Andersen")


def test_printable_response_states(client, world, answered, login_as):
    q = answered["q"]
    login_as(Role.SECRETARIAT)
    reopened = text_of(html(client.get(f"/skemaer/{q.id}/besvarelser/{answered['d'].id}")))
    assert "Status Genåbnet" in reopened and "senest indsendte version" in reopened
    assert "Antal pladser i alt 50" in reopened and "7.777" not in reopened
    assert "Sidste år" not in reopened  # not a clone: no last-year column
    draft = text_of(html(client.get(f"/skemaer/{q.id}/besvarelser/{answered['c'].id}")))
    assert "Status I gang" in draft and "Besvarelsen er ikke indsendt" in draft
    assert "Besvarelsen er foretaget af" not in draft
    none = client.get(f"/skemaer/{q.id}/besvarelser/{answered['e'].id}")
    assert none.status_code == 200 and "ikke påbegyndt" in html(none)
    # The status board now links to the printable page.
    board = html(client.get(f"/skemaer/{q.id}/status"))
    assert f'href="/skemaer/{q.id}/besvarelser/{answered["a"].id}"' in board


# --- access ------------------------------------------------------------------------------------


def urls(q, org_id):
    return [f"/skemaer/{q.id}/resultater", f"/skemaer/{q.id}/besvarelser/{org_id}",
            f"/skemaer/{q.id}/eksport.csv", f"/skemaer/{q.id}/eksport.xlsx"]


@pytest.mark.parametrize("role", [Role.RESPONDENT, Role.STEERING_MEMBER, Role.USER_ORG_REP,
                                  Role.POLITICIAN, Role.OBSERVER])
def test_only_the_secretariat(client, world, answered, login_as, role):
    """The steering group and observers read the results page (see test_steering_reads); the
    single answers of other organisations and the exports are the secretariat's (a respondent
    reads its own organisation's answer: test_answering)."""
    login_as(role)
    readers = {Role.STEERING_MEMBER, Role.OBSERVER}
    for url in urls(answered["q"], answered["b"].id):
        expected = 200 if role in readers and url.endswith("/resultater") else 403
        assert client.get(url).status_code == expected, url


def test_anonymous_is_sent_to_login(client, answered):
    for url in urls(answered["q"], answered["a"].id):
        result = client.get(url)
        assert result.status_code == 302 and "/login" in result.headers["Location"]


def test_other_region_and_non_recipients_are_404(client, db, world, answered, login_as):
    q = answered["q"]
    login_as(Role.SECRETARIAT, region="mid")
    for url in urls(q, answered["a"].id):
        assert client.get(url).status_code == 404, url
    client.post("/logout")
    login_as(Role.SECRETARIAT)
    outsider = f.organisation(world["north"]["region"], OrgKind.MUNICIPALITY, "Ikke-modtager")
    db.session.commit()
    assert client.get(f"/skemaer/{q.id}/besvarelser/{outsider.id}").status_code == 404
    foreign = world["mid"]["municipality"]
    assert client.get(f"/skemaer/{q.id}/besvarelser/{foreign.id}").status_code == 404
    assert client.get(f"/skemaer/{q.id}/besvarelser/999999").status_code == 404
    assert client.get("/skemaer/999999/resultater").status_code == 404


# --- query counts ------------------------------------------------------------------------------


def _grow(q, groups, region, start, stop, clock):
    g, h = str(groups["Udviklingshæmning"].id), str(groups["Hjemløshed"].id)
    for n in range(start, stop):
        org = f.organisation(region, name=f"Vækstkommune {n:03d}")
        recipient(q, org)
        if n % 4 == 3:
            continue  # not started
        answers = {"kontaktperson": f"Person {n}", "pladser": n, "budget": n / 10,
                   "opgjort": "2017-03-01", "nye_tilbud": n % 2 == 0, "tendens": "Uændret",
                   "omraader": ["Dag"], "samlet": n % 5 + 1,
                   "voksne": {g: {"doegn": n, "behov": n + 1, "sammenhaeng": n % 5 + 1},
                              h: {"sammenhaeng": "dont_know", "bemaerkning": "–"}}}
        if n % 4 == 2:
            _db.session.add(QuestionnaireResponse(questionnaire_id=q.id, organisation_id=org.id,
                                     state=ResponseState.DRAFT, answers=answers, prefilled=[],
                                     created_at=clock.now(), updated_at=clock.now()))
        else:
            submit_rows(q, org, answers, clock.now())
    _db.session.commit()


def test_query_counts_do_not_grow(client, db, world, capacity, login_as, queries, clock):
    q, groups = capacity
    region = world["north"]["region"]
    _grow(q, groups, region, 0, 10, clock)  # 11 recipients with "Kommune north"
    org = world["north"]["municipality"]
    submit_rows(q, org, {"kontaktperson": "Anne", "pladser": 1}, clock.now())
    db.session.commit()
    login_as(Role.SECRETARIAT)
    paths = urls(q, org.id)
    for path in paths:
        assert client.get(path).status_code == 200  # warm up
    small = {}
    for path in paths:
        with queries() as counted:
            assert client.get(path).status_code == 200
        small[path] = counted
    _grow(q, groups, region, 10, 99, clock)  # 100 recipients
    # More questions too, a grid among them.
    loaded = _loaded(q.id)
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    for i in range(5):
        build.add_question(secretariat, loaded, loaded.sections[0], type=QuestionType.INTEGER,
                           key=f"ekstra_{i}", label=f"Ekstra {i}", now=clock.now())
    build.add_question(secretariat, loaded, loaded.sections[-1], type=QuestionType.GRID,
                       key="ekstra_grid", label="Ekstra skema", config={
                           "audience": "adults", "columns": [
                               {"key": "x", "label": "X", "type": "scale"}]},
                       now=clock.now())
    db.session.commit()
    for path in paths:
        with queries() as counted:
            result = client.get(path)
        assert result.status_code == 200
        assert counted.count == small[path].count, (
            f"{path}: {small[path].count} queries with 11 organisations, {counted.count} with "
            "100:\n" + "\n".join(counted.statements))
    page = text_of(html(client.get(paths[0])))
    assert "51 af 100 har indsendt." in page
