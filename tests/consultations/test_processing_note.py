"""The consultation note (issue 11, item 5): its data, the page, the DOCX, and the fixed number
of queries for 10 and 200 responses (Speed)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tests import factories as f
from tests.consultations import factories_note as nf
from webapp import revision
from webapp.extensions import db
from webapp.models import (
    Consultation,
    ConsultationResponse,
    ConsultationResponseState,
    Outcome,
    ResponseComment,
    Role,
    TextVersion,
)
from webapp.note_docx import note_filename, write_note
from webapp.queries.consultations.note import note_data, period_text, reasons_by_section
from webapp.queries.consultations.processing import (
    processing_list,
    response_page,
    scoped_consultation_or_404,
)

NAMES = ["Aalborg Kommune", "Zebra Forening", "Øster Forening", "Brønderslev Kommune",
         "Ærø Forening", "Åbenrå Forening", "Hjørring Kommune"]


def _processed(response: ConsultationResponse, outcome: Outcome, summary: str = "",
               comment: str = "", reason: str = "") -> None:
    response.summary, response.secretariat_comment = summary, comment
    response.outcome, response.outcome_reason = outcome, reason
    response.processed_at = datetime(2017, 9, 20, tzinfo=UTC)


@pytest.fixture
def setup(db, world) -> nf.Setup:
    s = nf.consultation(world["north"]["cycle"], parties=NAMES)
    by = {p.name: p for p in s.parties}
    aalborg = nf.response(by["Aalborg Kommune"], general="Aalborg er overordnet enig.", comments=[
        (s.sections["s21"], "Taksterne bør stige mindre."),
        (s.sections["s3"], "Strategien mangler autisme."),
        (None, "Et generelt punkt fra Aalborg.")])
    _processed(aalborg, Outcome.PARTLY, "Aalborg støtter udkastet.", "Delvist fulgt.",
               "Økonomien tillader ikke mere.")
    points = list(db.session.scalars(
        select(ResponseComment).where(ResponseComment.response_id == aalborg.id)
        .order_by(ResponseComment.position)))
    points[0].outcome, points[0].changed_section_key = Outcome.INCORPORATED, "s21"
    points[1].outcome, points[1].outcome_reason = Outcome.NOT_INCORPORATED, "Uden for rammen."
    points[2].outcome = Outcome.NOTED
    nf.response(by["Zebra Forening"], general="Zebra vil have mere.", late=True,
                comments=[(s.sections["s21"], "Zebra om takster.")])
    nf.response(by["Ærø Forening"], no_comments=True)
    nf.response(by["Brønderslev Kommune"], submitted=False)  # a draft is no answer
    db.session.commit()
    return s


def _load(setup: nf.Setup) -> Consultation:
    return db.session.scalars(select(Consultation).where(
        Consultation.id == setup.consultation.id).options(
            joinedload(Consultation.cycle), joinedload(Consultation.milestone),
            joinedload(Consultation.text_version).joinedload(TextVersion.text))).one()


def test_period_in_danish_long_dates_with_days(app):
    with app.test_request_context():
        assert period_text(f.at(2017, 8, 14, 9), f.at(2017, 9, 11, 23, 59)) == (
            "fra den 14. august 2017 til den 11. september 2017 (28 dage)")
        # The days are counted in Copenhagen: 23.59 local on the 11th is the 11th.
        assert period_text(f.at(2017, 9, 10, 0, 30), f.at(2017, 9, 11, 0, 30)).endswith(
            "(1 dag)")


def test_parties_in_danish_order_marked_by_who_answered(app, setup):
    note = note_data(_load(setup))
    assert [p.name for p in note.parties] == [
        "Brønderslev Kommune", "Hjørring Kommune", "Zebra Forening", "Ærø Forening",
        "Øster Forening", "Åbenrå Forening", "Aalborg Kommune"]
    marks = {p.name: (p.answered, p.no_comments, p.late) for p in note.parties}
    assert marks["Aalborg Kommune"] == (True, False, False)
    assert marks["Zebra Forening"] == (True, False, True)
    assert marks["Ærø Forening"] == (True, True, False)
    assert marks["Brønderslev Kommune"] == (False, False, False), "a draft is not an answer"
    # Zebra waits; Ærø answered "Ingen bemærkninger": nothing to weigh.
    assert note.answered == 3 and note.unprocessed == 1
    assert note.period == "fra den 14. august 2017 til den 11. september 2017 (28 dage)"


def test_points_grouped_per_section_in_order_general_first(app, setup):
    note = note_data(_load(setup))
    assert [g.title for g in note.groups] == [
        "Generelle bemærkninger", "2.1 Takster", "3 Udviklingsstrategien"]
    general, rates, strategy = note.groups
    # The response's general text is its summary once processed, else its own words.
    assert [(p.party, p.text) for p in general.points] == [
        ("Zebra Forening", "Zebra vil have mere."),
        ("Aalborg Kommune", "Aalborg støtter udkastet."),
        ("Aalborg Kommune", "Et generelt punkt fra Aalborg.")]
    assert general.points[1].outcome == "Delvist indarbejdet"
    assert "Delvist fulgt." in general.points[1].comment
    assert "Økonomien tillader ikke mere." in general.points[1].comment
    assert general.points[0].outcome == "" and general.points[0].late
    assert [(p.party, p.outcome) for p in rates.points] == [
        ("Zebra Forening", ""), ("Aalborg Kommune", "Indarbejdet")]
    assert strategy.points[0].comment == "Uden for rammen."


def test_changes_per_section_of_the_next_version(app, setup):
    note = note_data(_load(setup))
    assert note.next_version_label == "Udkast 2"
    assert [(c.title, [r.party for r in c.reasons]) for c in note.changes] == [
        ("2.1 Takster og prisudvikling", ["Aalborg Kommune"])]
    assert setup.next_version is not None
    reasons = reasons_by_section(setup.next_version)
    assert list(reasons) == ["s21"]
    assert reasons["s21"][0].text == "Taksterne bør stige mindre."
    assert reasons["s21"][0].outcome == "Indarbejdet"
    assert reasons_by_section(setup.version) == {}, "the first version has no previous one"


def test_without_next_version_there_are_no_changes(app, db, world):
    s = nf.consultation(world["north"]["cycle"], with_next=False, parties=["A"])
    db.session.commit()
    note = note_data(_load(s))
    assert note.changes == [] and note.next_version_label == ""


def _many(setup: nf.Setup, n: int, start: int = 0) -> None:
    """n more parties, each with a processed response of two points."""
    cycle = _load(setup).cycle
    for i in range(start, start + n):
        party = nf.party(setup.consultation, cycle, f"Part {i:03d}")
        response = nf.response(party, comments=[(setup.sections["s2"], "Et punkt."),
                                                (None, "Et generelt punkt.")])
        _processed(response, Outcome.NOTED, "Resumé.")
    db.session.flush()
    for comment in db.session.scalars(select(ResponseComment)):
        comment.outcome = comment.outcome or Outcome.INCORPORATED
        comment.changed_section_key = comment.changed_section_key or "s2"
    db.session.commit()


def _count_reads(setup: nf.Setup, queries, client) -> tuple[int, ...]:
    counts = []
    revision.clear()
    db.session.expire_all()
    consultation = _load(setup)
    for read in (lambda: note_data(consultation), lambda: processing_list(consultation),
                 lambda: response_page(consultation),
                 lambda: reasons_by_section(setup.next_version)):
        with queries() as q:
            read()
        counts.append(q.count)
    for path in (f"/hoeringer/{setup.consultation.id}/behandling",
                 f"/hoeringer/{setup.consultation.id}/hoeringsnotat",
                 f"/hoeringer/{setup.consultation.id}/hoeringsnotat.docx"):
        with queries() as q:
            assert client.get(path).status_code == 200
        counts.append(q.count)
    return tuple(counts)


def test_fixed_number_of_queries_for_10_and_200_responses(app, db, setup, queries, client,
                                                          login_as):
    login_as(Role.SECRETARIAT)
    _many(setup, 7)  # 10 submitted responses
    small = _count_reads(setup, queries, client)
    _many(setup, 190, start=7)  # 200
    assert db.session.scalar(select(func.count(ConsultationResponse.id)).where(
        ConsultationResponse.state == ConsultationResponseState.SUBMITTED)) == 200
    large = _count_reads(setup, queries, client)
    assert small == large, (small, large)
    assert small[:4] == (6, 1, 3, 2), small


def test_note_page_reads_as_the_note(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    page = client.get(f"/hoeringer/{setup.consultation.id}/hoeringsnotat")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for heading in ("1. Høringen", "2. Høringssvarenes hovedindhold", "3. Ændringer i teksten"):
        assert f"<h2>{heading}</h2>" in text
    assert "fra den 14. august 2017 til den 11. september 2017 (28 dage)" in text
    assert '<caption>Høringsliste</caption>' in text and "<td>Nej</td>" in text
    assert "<h3>2.1 Takster</h3>" in text and "<h3>2.1 Takster og prisudvikling</h3>" in text
    assert "Ingen bemærkninger" in text and "Modtaget efter fristen" in text


def test_note_page_escapes_what_people_wrote(client, login_as, db, setup):
    party = nf.party(setup.consultation, _load(setup).cycle, "<script>alert(1)</script>")
    nf.response(party, general="<img src=x onerror=alert(1)> **fed**")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    text = client.get(f"/hoeringer/{setup.consultation.id}/hoeringsnotat").get_data(as_text=True)
    assert "<script>alert(1)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text and "<strong>fed</strong>" in text


def test_docx_has_headings_a_party_table_and_page_numbers(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    answer = client.get(f"/hoeringer/{setup.consultation.id}/hoeringsnotat.docx")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("wordprocessingml.document")
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="hoeringsnotat-hoering-om-rammeaftale-2018.docx"')
    document = Document(io.BytesIO(answer.data))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    assert ("Title", "Høringsnotat") in headings
    assert ("Heading 1", "1. Høringen") in headings
    assert ("Heading 1", "3. Ændringer i teksten") in headings
    assert ("Heading 2", "2.1 Takster") in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Part", "Svar modtaget", "Bemærkning"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == len(NAMES) + 1
    assert [c.text for c in table.rows[7].cells] == ["Aalborg Kommune", "Ja", ""]
    assert [c.text for c in table.rows[1].cells] == ["Brønderslev Kommune", "Nej", ""]
    footer = document.sections[0].footer._element
    fields = [e.get(qn("w:instr")) for e in footer.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "fra den 14. august 2017 til den 11. september 2017 (28 dage)" in body
    assert "Vurdering: Delvist indarbejdet" in body


def test_docx_writer_takes_plain_data(app, setup):
    note = note_data(_load(setup))
    assert Document(io.BytesIO(write_note(note))).tables


@pytest.mark.parametrize("title, name", [
    ("Høring om Rammeaftale 2018", "hoeringsnotat-hoering-om-rammeaftale-2018.docx"),
    ('../../etc/"passwd"\r\nX: y', "hoeringsnotat-etc-passwd-x-y.docx"),
    ("ÆØÅ", "hoeringsnotat-aeoeaa.docx"),
    ("„“", "hoeringsnotat.docx"),
])
def test_safe_filename(title, name):
    assert note_filename(title) == name


def test_scoped_loader_hides_another_region(app, world, setup):
    from werkzeug.exceptions import NotFound

    with app.test_request_context(), pytest.raises(NotFound):
        scoped_consultation_or_404(setup.consultation.id, world["mid"]["users"][Role.SECRETARIAT])


def test_docx_keeps_line_breaks_drops_what_xml_cannot_hold_and_bolds_the_party(app):
    from webapp.queries.consultations.note import NoteData, NoteGroup, NoteParty, NotePoint

    note = NoteData(title="T", text_title="T, Udkast 1", period="til den 1. maj 2017",
                    parties=[NoteParty("Aalborg Kommune", True, False, False)],
                    groups=[NoteGroup("", "Generelle bemærkninger", [
                        NotePoint("Aalborg Kommune", "Linje et\nlinje to\x0b\n\nNyt afsnit",
                                  "Indarbejdet", "")])],
                    changes=[], next_version_label="", unprocessed=0)
    document = Document(io.BytesIO(write_note(note)))
    texts = [p.text for p in document.paragraphs]
    assert "Aalborg Kommune: Linje et\nlinje to" in texts and "Nyt afsnit" in texts
    lead = next(p for p in document.paragraphs if p.text.startswith("Aalborg Kommune: "))
    assert lead.runs[0].bold and lead.runs[0].text == "Aalborg Kommune: "
    assert not lead.runs[1].bold


def test_an_external_party_without_an_account_is_on_the_list(app, db, setup):
    external = nf.party(setup.consultation, _load(setup).cycle, "Danske Handicaporganisationer",
                        external=True)
    nf.response(external, general="DH ønsker mere inddragelse.")
    db.session.commit()
    note = note_data(_load(setup))
    assert [p.name for p in note.parties][:2] == ["Brønderslev Kommune",
                                                  "Danske Handicaporganisationer"]
    assert note.parties[1].answered
    assert ("Danske Handicaporganisationer", "DH ønsker mere inddragelse.") in [
        (p.party, p.text) for p in note.groups[0].points]


def test_a_processed_summary_without_general_text_claims_no_outcome(client, login_as, db,
                                                                    setup):
    """A response of section points only: its summary stands under the general remarks
    without "Ikke behandlet endnu" once processed (it has no general text to weigh)."""
    hjoerring = next(p for p in setup.parties if p.name == "Hjørring Kommune")
    response = nf.response(hjoerring, general="", comments=[(setup.sections["s1"], "Punkt.")],
                           summary="Hjørring har ét punkt.",
                           processed_at=datetime(2017, 9, 20, tzinfo=UTC))
    db.session.commit()
    note = note_data(_load(setup))
    summary = next(p for p in note.groups[0].points if p.party == "Hjørring Kommune")
    assert summary.processed and summary.outcome == ""
    login_as(Role.SECRETARIAT)
    page = client.get(f"/hoeringer/{setup.consultation.id}/hoeringsnotat").get_data(as_text=True)
    block = page[page.index("Hjørring har ét punkt."):]
    block = block[:block.index('<div class="note-point">')]
    assert "Vurdering:" not in block, "no outcome line for the summary"
    document = Document(io.BytesIO(write_note(note)))
    texts = [p.text for p in document.paragraphs]
    at = texts.index("Hjørring Kommune: Hjørring har ét punkt.")
    assert not texts[at + 1].startswith("Vurdering"), texts[at:at + 2]
    assert response.id


def test_the_compare_page_shows_which_responses_changed_a_section(client, login_as, setup, db):
    """The next version's diff names, beside the changed section, the point that led to it."""
    from webapp.models import Role

    assert setup.next_version is not None
    from sqlalchemy import update

    from webapp.models import TextSection

    db.session.execute(update(TextSection).where(
        TextSection.text_version_id == setup.next_version.id, TextSection.key == "s21")
        .values(body=TextSection.body + " Ændret efter høringen."))
    db.session.commit()
    login_as(Role.SECRETARIAT)
    text_id = setup.version.text_id
    page = client.get(f"/tekster/{text_id}/sammenlign?fra={setup.version.id}"
                      f"&til={setup.next_version.id}").get_data(as_text=True)
    assert "Ændret på baggrund af" in page
    reasons = page.split("Ændret på baggrund af")[1].split("</div>")[0]
    assert "Aalborg Kommune:" in reasons and "Taksterne bør stige mindre." in reasons
    assert "Indarbejdet" in reasons
