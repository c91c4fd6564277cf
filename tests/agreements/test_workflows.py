"""Writing, importing, versioning and freezing texts: the workflow rules."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from sqlalchemy import select

from tests import factories as f
from tests.agreements.helpers import docx_bytes, text_with_versions
from webapp.agreement_docx import MAX_DOCX_BYTES, OutSection, write_docx
from webapp.models import AuditEvent, CycleState, Role, TextVersion
from webapp.permissions import SYSTEM
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows import agreements as flow
from webapp.workflows.base import StaleEdit

NOW = f.at(2017, 3, 1, 10)


@pytest.fixture
def secretariat(world):
    return world["north"]["users"][Role.SECRETARIAT]


@pytest.fixture
def cycle(db, world):
    c = world["north"]["cycle"]
    c.state = CycleState.OPEN
    db.session.commit()
    return c


def test_a_new_text_starts_as_udkast_1(db, secretariat, cycle):
    text = flow.create_text(secretariat, cycle, title="  Udviklingsstrategi ", now=NOW)
    assert text.title == "Udviklingsstrategi"
    assert [(v.number, v.label, v.is_frozen) for v in text.versions] == [(1, "Udkast 1", False)]
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_id == text.id)) == "agreement_text.created"


def test_a_taken_title_is_refused_at_the_field(db, secretariat, cycle):
    flow.create_text(secretariat, cycle, title="Styringsaftale", now=NOW)
    with pytest.raises(WorkflowError) as refused:
        flow.create_text(secretariat, cycle, title="Styringsaftale", now=NOW)
    assert refused.value.field == "title"


def test_only_the_secretariat_writes_texts(db, world, cycle):
    with pytest.raises(PermissionDenied):
        flow.create_text(world["north"]["users"][Role.RESPONDENT], cycle, title="X", now=NOW)
    with pytest.raises(PermissionDenied):  # another region's secretariat
        flow.create_text(world["mid"]["users"][Role.SECRETARIAT], cycle, title="X", now=NOW)
    assert flow.create_text(SYSTEM, cycle, title="Fra demoen", now=NOW).title == "Fra demoen"


def test_a_new_version_copies_the_latest_with_its_keys(db, world):
    text = text_with_versions(world, NOW)
    first, second = text.versions
    assert (second.number, second.label, second.based_on_id) == (2, "Udkast 2", first.id)
    assert [s.key for s in second.sections][:3] == [s.key for s in first.sections]
    assert second.sections[0].heading == "Afsnit 1 om styring"
    assert first.sections[0].heading == "Afsnit 1"  # the copy changed, not the original
    third = flow.new_version(world["north"]["users"][Role.SECRETARIAT], text, label="Endelig",
                             is_final=True, now=NOW)
    assert (third.number, third.is_final, third.based_on_id) == (3, True, second.id)
    assert [s.key for s in third.sections] == [s.key for s in second.sections]


def test_a_frozen_version_never_changes(db, world, secretariat):
    text = text_with_versions(world, NOW)
    frozen = text.versions[0]
    assert frozen.frozen_at == NOW
    section = frozen.sections[0]
    attempts = [
        lambda: flow.add_section(secretariat, frozen, heading="X", body="", level=1, now=NOW),
        lambda: flow.update_section(secretariat, frozen, section, heading="X", body="",
                                    level=1, now=NOW),
        lambda: flow.move_section(secretariat, frozen, section, step=1, now=NOW),
        lambda: flow.delete_section(secretariat, frozen, section, now=NOW),
        lambda: flow.update_version(secretariat, frozen, label="Y", is_final=True, now=NOW),
        lambda: flow.freeze(secretariat, frozen, now=NOW),
    ]
    for attempt in attempts:
        with pytest.raises(WorkflowError, match="fastfrosset"):
            attempt()
    assert [s.heading for s in frozen.sections] == ["Afsnit 1", "Afsnit 2", "Afsnit 3"]


def test_an_empty_version_cannot_be_frozen(db, secretariat, cycle):
    text = flow.create_text(secretariat, cycle, title="Tom", now=NOW)
    with pytest.raises(WorkflowError, match="uden afsnit"):
        flow.freeze(secretariat, text.versions[0], now=NOW)


def test_section_changes_move_the_versions_counter(db, secretariat, cycle):
    version = flow.create_text(secretariat, cycle, title="T", now=NOW).versions[0]
    db.session.commit()
    start = version.version_id
    first = flow.add_section(secretariat, version, heading="A", body="", level=1, now=NOW,
                             version_counter=start)
    flow.add_section(secretariat, version, heading="B", body="", level=2, now=NOW)
    db.session.commit()
    assert version.version_id > start
    with pytest.raises(StaleEdit):  # a page made before the change
        flow.update_section(secretariat, version, first, heading="A2", body="", level=1,
                            now=NOW, version_counter=start)
    counter = version.version_id
    flow.move_section(secretariat, version, first, step=1, now=NOW, version_counter=counter)
    db.session.commit()
    assert [s.heading for s in version.sections] == ["B", "A"]
    assert [s.position for s in version.sections] == [1, 2]
    with pytest.raises(WorkflowError, match="sidst"):
        flow.move_section(secretariat, version, first, step=1, now=NOW)
    flow.delete_section(secretariat, version, first, now=NOW, version_counter=version.version_id)
    db.session.commit()
    assert [s.heading for s in version.sections] == ["B"]


def test_bad_section_values_are_refused_at_their_field(db, secretariat, cycle):
    version = flow.create_text(secretariat, cycle, title="T", now=NOW).versions[0]
    for values, field in [({"heading": "  ", "body": "", "level": 1}, "heading"),
                          ({"heading": "x" * 301, "body": "", "level": 1}, "heading"),
                          ({"heading": "A", "body": "", "level": 3}, "level")]:
        with pytest.raises(WorkflowError) as refused:
            flow.add_section(secretariat, version, now=NOW, **values)
        assert refused.value.field == field


def test_import_a_real_docx_as_a_new_text(db, secretariat, cycle):
    data = docx_bytes([
        ("", "Indledende bemærkning."),
        ("Heading 1", "Formål"),
        ("", "Rammeaftalen skal sikre sammenhæng."),
        ("List Bullet", "Kommunerne"),
        ("List Bullet", "Regionen"),
        ("Heading 2", "Målgrupper"),
        ("", "Borgere med *særlige* behov <script>alert(1)</script>"),
        ("Heading 1", "Økonomi"),
        ("List Number", "Takster"),
        ("List Number", "Kapacitet"),
    ], title="Rammeaftale 2018")
    text = flow.import_text(secretariat, cycle, data=data, file_name="aftale.docx", title="",
                            now=NOW)
    assert text.title == "Rammeaftale 2018"
    sections = text.versions[0].sections
    assert [(s.level, s.heading) for s in sections] == [
        (1, "Indledning"), (1, "Formål"), (2, "Målgrupper"), (1, "Økonomi")]
    assert sections[0].body == "Indledende bemærkning."
    assert sections[1].body == "Rammeaftalen skal sikre sammenhæng.\n\n- Kommunerne\n- Regionen"
    # Word's text is kept as text: Markdown characters and tags are escaped, not interpreted.
    assert sections[2].body == r"Borgere med \*særlige\* behov \<script\>alert(1)\</script\>"
    assert sections[3].body == "1. Takster\n2. Kapacitet"
    assert len({s.key for s in sections}) == 4


def test_import_as_a_new_version_keeps_the_keys_of_same_headings(db, world, secretariat):
    text = text_with_versions(world, NOW)
    latest = text.versions[-1]
    data = docx_bytes([("Heading 1", "Afsnit 1 om styring"), ("", "Ny tekst"),
                       ("Heading 1", "Helt nyt")])
    version = flow.import_version(secretariat, text, data=data, file_name="v3.docx",
                                  label="Udkast 3", now=NOW)
    assert version.number == 3 and version.based_on_id == latest.id
    assert version.sections[0].key == latest.sections[0].key
    assert version.sections[1].key not in {s.key for s in latest.sections}


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    b"%PDF-1.4 not a word file",
    b"",
    _zip({"hello.txt": b"just a zip"}),
    _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"not xml at all"}),
    b"PK\x03\x04" + b"\x00" * 100,
], ids=["pdf", "empty", "plain-zip", "broken-docx", "broken-zip"])
def test_a_file_that_is_not_a_docx_is_refused_at_the_field(db, secretariat, cycle, data):
    with pytest.raises(WorkflowError) as refused:
        flow.import_text(secretariat, cycle, data=data, file_name="aftale.docx", title="T",
                         now=NOW)
    assert refused.value.field == "file"
    assert "DOCX" in refused.value.message


def test_a_too_large_file_is_refused(db, secretariat, cycle):
    with pytest.raises(WorkflowError, match="for stor") as refused:
        flow.import_text(secretariat, cycle, data=b"PK" + b"\x00" * MAX_DOCX_BYTES,
                         file_name="stor.docx", title="T", now=NOW)
    assert refused.value.field == "file"


def test_a_zip_bomb_is_refused(db, secretariat, cycle):
    data = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"0" * (61 * 1024 * 1024)})
    assert len(data) < MAX_DOCX_BYTES
    with pytest.raises(WorkflowError, match="pakkes ud"):
        flow.import_text(secretariat, cycle, data=data, file_name="b.docx", title="T", now=NOW)


def test_written_docx_has_real_heading_styles():
    data = write_docx("Styringsaftale", "Udkast 2", [
        OutSection("1", 1, "Formål", "Første afsnit.\n\n- punkt et\n- punkt **to**"),
        OutSection("1.1", 2, "Målgrupper", "| A | B |\n|---|---|\n| 1 | 2 |"),
    ])
    document = Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", "Styringsaftale") in styled
    assert ("Heading 1", "1 Formål") in styled
    assert ("Heading 2", "1.1 Målgrupper") in styled
    assert ("List Bullet", "punkt to") in styled
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["A", "B"],
                                                                               ["1", "2"]]


def test_a_written_version_reads_back_as_the_same_sections(db, world, secretariat, cycle):
    """Export and import agree: a version downloaded and imported again has the same
    headings, levels and bodies."""
    text = text_with_versions(world, NOW)
    version = text.versions[-1]
    from webapp.queries.agreements import numbered

    out = [OutSection(s.number, s.level, s.heading, s.body) for s in numbered(version)]
    again = flow.import_version(secretariat, text, data=write_docx("T", "", out),
                                file_name="x.docx", label="Igen", now=NOW)
    assert [(s.key, s.level, s.heading, s.body) for s in again.sections] == \
        [(s.key, s.level, s.heading, s.body) for s in version.sections]


@pytest.mark.parametrize("typed, heading", [("2.1 Formål", "Formål"), ("3. Økonomi", "Økonomi"),
                                            ("12 Tilsyn", "Tilsyn"),
                                            ("2018 og frem", "2018 og frem"),
                                            ("1", "1")])
def test_a_headings_number_is_not_part_of_it(db, secretariat, cycle, typed, heading):
    data = docx_bytes([("Heading 1", typed)])
    text = flow.import_text(secretariat, cycle, data=data, file_name="a.docx", title="T",
                            now=NOW)
    assert text.versions[0].sections[0].heading == heading


def test_every_text_action_has_a_label_and_is_audited(db, world):
    text_with_versions(world, NOW)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"agreement_text.created", "text_section.created", "text_version.frozen",
            "text_version.created", "text_section.updated"} <= actions
    assert db.session.scalar(select(TextVersion).where(TextVersion.number == 2)) is not None


@pytest.mark.parametrize("typed", ["1. januar er fristen", "2) punkt", "# ikke en overskrift",
                                   "- ikke en liste", "> ikke et citat", "+ plus",
                                   "Tekst med *stjerner* og _streger_ og [link](x)"])
def test_a_paragraph_from_word_reads_as_typed(db, secretariat, cycle, typed):
    """Word's text is shown as it was written, whatever Markdown would make of it."""
    from markupsafe import escape

    from webapp.markdown import render

    data = docx_bytes([("Heading 1", "Afsnit"), ("", typed)])
    text = flow.import_text(secretariat, cycle, data=data, file_name="a.docx", title="T",
                            now=NOW)
    shown = render(text.versions[0].sections[0].body)
    assert shown.strip() == f"<p>{escape(typed)}</p>"
