"""The text pages: who sees what (403/404), bad input (422), stale edits (409-like conflict
page), escaping, the download and the comparison."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from sqlalchemy import func, select

from tests import factories as f
from tests.agreements.helpers import docx_bytes, text_with_versions
from webapp.models import AgreementText, CycleState, Role, TextSection, TextVersion

NOW = f.at(2017, 3, 1, 10)


def html(response):
    return response.get_data(as_text=True)


@pytest.fixture
def text(db, world):
    return text_with_versions(world, NOW)


def ids(text):
    first, second = text.versions
    return text.id, first.id, second.id, second.sections[0].id


def test_every_signed_in_role_reads_texts_of_its_region(client, login_as, world, text):
    text_id, first, second, _ = ids(text)
    cycle = world["north"]["cycle"].id
    login_as(Role.POLITICIAN)
    page = html(client.get(f"/cykler/{cycle}/tekster"))
    assert "Styringsaftale" in page and "Udkast 2" in page
    assert "Skriv en ny tekst" not in page and "Rediger" not in page
    version = client.get(f"/versioner/{first}")
    assert version.status_code == 200
    assert "Frosset 01.03.2017" in html(version)
    assert client.get(f"/tekster/{text_id}/sammenlign").status_code == 200
    assert client.get(f"/versioner/{first}/docx").status_code == 200
    # … but changes nothing
    assert client.get(f"/versioner/{second}/rediger").status_code == 403
    assert client.post(f"/versioner/{second}/frys", data={"version": "1"}).status_code == 403
    assert client.get(f"/cykler/{cycle}/tekster/ny").status_code == 403


def test_another_regions_text_is_not_found(client, login_as, world, text):
    text_id, first, second, section = ids(text)
    login_as(Role.SECRETARIAT, region="mid")
    for path in (f"/versioner/{first}", f"/versioner/{second}/rediger",
                 f"/versioner/{first}/docx", f"/tekster/{text_id}/sammenlign",
                 f"/tekster/{text_id}/ny-version", f"/tekster/{text_id}/importer",
                 f"/versioner/{second}/afsnit/{section}", f"/versioner/{second}/frys",
                 f"/versioner/{second}/afsnit/{section}/slet"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/versioner/{second}/afsnit/{section}/flyt",
                       data={"version": "1", "step": "1"}).status_code == 404
    assert client.get(f"/cykler/{world['north']['cycle'].id}/tekster").status_code == 404


def test_a_draft_cycles_texts_are_the_secretariats(client, db, login_as, world, text):
    world["north"]["cycle"].state = CycleState.DRAFT
    db.session.commit()
    login_as(Role.RESPONDENT)
    assert client.get(f"/versioner/{text.versions[0].id}").status_code == 404


def test_create_a_text_and_write_sections(client, db, login_as, world):
    cycle = world["north"]["cycle"]
    login_as(Role.SECRETARIAT)
    response = client.post(f"/cykler/{cycle.id}/tekster/ny", data={"title": "Udviklingsstrategi"})
    assert response.status_code == 302
    version = db.session.scalar(select(TextVersion).join(AgreementText).where(
        AgreementText.title == "Udviklingsstrategi"))
    edit = f"/versioner/{version.id}/rediger"
    assert response.headers["Location"].endswith(edit)
    page = html(client.get(f"/versioner/{version.id}/afsnit/ny"))
    counter = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    heading = '<script>alert("x")</script> Formål'
    body = "Tekst med <b>tag</b> og <script>alert(2)</script>\n\n- punkt"
    response = client.post(f"/versioner/{version.id}/afsnit/ny", data={
        "heading": heading, "body": body, "level": "1", "version": counter})
    assert response.status_code == 302
    page = html(client.get(f"/versioner/{version.id}"))
    assert "<script>" not in page and "<b>tag</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Formål" in page
    assert "&lt;b&gt;tag&lt;/b&gt;" in page and "<li>punkt</li>" in page
    assert '<nav class="toc"' in page and 'href="#afsnit-' in page


def test_bad_input_is_a_message_at_the_field(client, db, login_as, world, text):
    _, _, second, section = ids(text)
    login_as(Role.SECRETARIAT)
    before = db.session.scalar(select(func.count()).select_from(TextSection))
    response = client.post(f"/versioner/{second}/afsnit/ny", data={
        "heading": "   ", "body": "Min tekst", "level": "1",
        "version": str(text.versions[1].version_id)})
    assert response.status_code == 422
    page = html(response)
    assert "Skriv en overskrift." in page and "Min tekst" in page  # the typed text kept
    response = client.post(f"/versioner/{second}/afsnit/{section}", data={
        "heading": "A", "body": "", "level": "7", "version": str(text.versions[1].version_id)})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(TextSection)) == before
    # A title already taken, at its field.
    response = client.post(f"/cykler/{world['north']['cycle'].id}/tekster/ny",
                           data={"title": "Styringsaftale"})
    assert response.status_code == 422 and "allerede en tekst" in html(response)


def test_a_stale_section_edit_shows_the_conflict_and_keeps_the_input(client, db, login_as,
                                                                       text):
    _, _, second, section = ids(text)
    login_as(Role.SECRETARIAT)
    stale = str(text.versions[1].version_id - 1)
    response = client.post(f"/versioner/{second}/afsnit/{section}", data={
        "heading": "Min overskrift", "body": "Mit forslag", "level": "1", "version": stale})
    assert response.status_code == 422
    page = html(response)
    assert "Nogen har ændret dette" in page
    assert "Mit forslag" in page and "Det, der nu er gemt" in page
    db.session.expire_all()
    assert db.session.get(TextSection, section).body != "Mit forslag"


def test_a_frozen_version_offers_no_edit_and_refuses_posts(client, db, login_as, text):
    _, first, _, _ = ids(text)
    frozen_section = text.versions[0].sections[0].id
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/versioner/{first}"))
    assert "Rediger versionen" not in page and "Fastfrys versionen" not in page
    for path in (f"/versioner/{first}/rediger", f"/versioner/{first}/afsnit/ny",
                 f"/versioner/{first}/frys"):
        response = client.post(path, data={"heading": "X", "level": "1", "label": "X",
                                           "version": "99"})
        assert response.status_code == 302 and response.headers["Location"].endswith(
            f"/versioner/{first}"), path
    response = client.post(f"/versioner/{first}/afsnit/{frozen_section}/flyt",
                           data={"step": "1", "version": str(text.versions[0].version_id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert list(db.session.scalars(
        select(TextSection.heading).where(TextSection.text_version_id == first)
        .order_by(TextSection.position))) == ["Afsnit 1", "Afsnit 2", "Afsnit 3"]


def test_freeze_through_the_confirm_page(client, db, login_as, text):
    _, _, second, _ = ids(text)
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/versioner/{second}/frys"))
    assert "Ja, fastfrys versionen" in page
    counter = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(f"/versioner/{second}/frys", data={"version": counter}).status_code == 302
    db.session.expire_all()
    assert db.session.get(TextVersion, second).frozen_at is not None


def test_import_pages(client, db, login_as, world, text):
    cycle = world["north"]["cycle"].id
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/cykler/{cycle}/tekster/importer"))
    assert 'enctype="multipart/form-data"' in page
    fake = {"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "aftale.docx"),
            "title": "Ny tekst"}
    response = client.post(f"/cykler/{cycle}/tekster/importer", data=fake,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = html(response)
    assert "ikke et Word-dokument" in page and 'value="Ny tekst"' in page
    assert db.session.scalar(select(func.count()).select_from(AgreementText).where(
        AgreementText.title == "Ny tekst")) == 0
    missing = client.post(f"/cykler/{cycle}/tekster/importer", data={"title": "X"},
                          content_type="multipart/form-data")
    assert missing.status_code == 422 and "Vælg en DOCX-fil." in html(missing)
    real = {"file": (io.BytesIO(docx_bytes([("Heading 1", "Formål"), ("", "Tekst")])),
                     "a.docx"), "title": "Ny tekst"}
    response = client.post(f"/cykler/{cycle}/tekster/importer", data=real,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    real = {"file": (io.BytesIO(docx_bytes([("Heading 1", "Formål")])), "b.docx"),
            "label": "Udkast 3"}
    response = client.post(f"/tekster/{text.id}/importer", data=real,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(TextVersion).where(
        TextVersion.text_id == text.id)) == 3


def test_new_version_page(client, db, login_as, text):
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/tekster/{text.id}/ny-version"))
    assert 'value="Udkast 3"' in page
    response = client.post(f"/tekster/{text.id}/ny-version",
                           data={"label": "Endelig", "is_final": "y"})
    assert response.status_code == 302
    latest = db.session.scalar(select(TextVersion).where(TextVersion.number == 3))
    assert latest.label == "Endelig" and latest.is_final


def test_download_is_a_docx_with_headings_and_a_safe_name(client, db, login_as, world):
    cycle = world["north"]["cycle"]
    cycle.state = CycleState.OPEN
    db.session.commit()
    from webapp.workflows import agreements as flow

    actor = world["north"]["users"][Role.SECRETARIAT]
    version = flow.create_text(actor, cycle, title='Styr"ingsaftale\r\n<æøå>/../x',
                               now=NOW).versions[0]
    flow.add_section(actor, version, heading="Formål", body="Tekst.", level=1, now=NOW)
    flow.add_section(actor, version, heading="Mål", body="Mere.", level=2, now=NOW)
    db.session.commit()
    login_as(Role.RESPONDENT)
    response = client.get(f"/versioner/{version.id}/docx")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == "attachment; filename=Styr-ingsaftale-aeoeaa-x-Udkast-1.docx"
    document = Document(io.BytesIO(response.data))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "1 Formål"), ("Heading 2", "1.1 Mål")]


def test_compare_page_marks_words_for_eyes_and_ears(client, login_as, text):
    _, first, second, _ = ids(text)
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/tekster/{text.id}/sammenlign?fra={first}&til={second}"))
    assert re.search(r'<ins>\s*<span class="visually-hidden">indsat: </span>'
                     r'<span class="mark-symbol" aria-hidden="true">\+</span>', page)
    assert re.search(r'<del>\s*<span class="visually-hidden">slettet: </span>'
                     r'<span class="mark-symbol" aria-hidden="true">−</span>', page)
    assert "om styring" in page and "nye" in page
    summary = page.split('id="opsummering"')[1].split('id="afsnit"')[0]
    assert "Afsnit 1 om styring" in summary and "ny overskrift" in summary
    assert "Nyt afsnit" in summary and "tilføjet" in summary
    assert "Afsnit 3" not in summary  # unchanged sections are not in the summary
    # The same version twice, or a version of another text, is a message, not an error page.
    same = client.get(f"/tekster/{text.id}/sammenlign?fra={first}&til={first}")
    assert same.status_code == 422 and "to forskellige versioner" in html(same)
    other = client.get(f"/tekster/{text.id}/sammenlign?fra=999999&til=abc")
    assert other.status_code == 422


def test_the_compare_page_lists_the_reasons_beside_a_changed_section(client, login_as,
                                                                       monkeypatch, text):
    """The hook the consultation fills: reasons given for a section key are shown beside it,
    escaped like any text, and nowhere else."""
    from webapp.queries import agreements as read
    from webapp.queries.consultations.note import ChangeReason

    key = text.versions[1].sections[0].key
    monkeypatch.setattr(read, "reasons_by_section", lambda old, new: {
        key: [ChangeReason("Aalborg Kommune", "<b>ønske</b>", "Indarbejdet", "")]})
    login_as(Role.OBSERVER)
    page = html(client.get(f"/tekster/{text.id}/sammenlign"))
    section = page.split(f'id="forskel-{key}"')[1].split("</section>")[0]
    assert "Ændret på baggrund af" in section
    assert "Aalborg Kommune:</strong> &lt;b&gt;ønske&lt;/b&gt; – Indarbejdet" in section
    assert page.count("Ændret på baggrund af") == 1


def test_the_log_tells_the_texts_story_in_danish(client, login_as, text):
    login_as(Role.SECRETARIAT)
    page = html(client.get("/admin/log?handling=text_version.frozen"))
    assert "Version af aftaletekst fastfrosset" in page and "Styringsaftale: Udkast 1" in page
    page = html(client.get("/admin/log"))
    for words in ("Aftaletekst oprettet", "Afsnit i aftaletekst ændret", "Overskrift",
                  "Ny version af aftaletekst"):
        assert words in page, words
    assert "heading" not in page and "version_label" not in page


def test_the_version_page_compares_with_the_version_it_came_from(client, login_as, text):
    first, second = text.versions
    login_as(Role.OBSERVER)
    page = html(client.get(f"/versioner/{second.id}"))
    assert f"/tekster/{text.id}/sammenlign?fra={first.id}&amp;til={second.id}" in page
    page = html(client.get(f"/versioner/{first.id}"))
    assert f"/tekster/{text.id}/sammenlign?fra={first.id}&amp;til={second.id}" in page
