"""The consultation note as a Word document (python-docx), from the plain `NoteData`.

Real structure, so a screen reader and Word's navigation pane find their way: Heading styles for
the three parts and their sections, a real table with a repeated header row for the list of
parties, Danish as the document's language, and page numbers in the footer as PAGE/NUMPAGES
fields (python-docx has no API for fields: a `w:fldSimple` element is what Word writes itself
for a simple field, and Word and LibreOffice update it when the page is laid out).
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .i18n import gettext as _
from .queries.consultations.note import NoteData, NotePoint

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def note_filename(title: str) -> str:
    """A safe ASCII file name: "hoeringsnotat-udkast-til-rammeaftale-2018.docx"."""
    folded = title.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")
    return f"hoeringsnotat-{slug}.docx" if slug else "hoeringsnotat.docx"


def _field(paragraph: Any, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) with "1" shown until Word lays the page out."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _danish(document: Any) -> None:
    """Danish as the language of the text (spelling, hyphenation, the screen reader's voice)."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    rpr.append(lang)
    document.styles["Normal"].font.size = Pt(11)


def _repeat_header(row: Any) -> None:
    """The header row is repeated on each page and read as the columns' headers."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _text(document: Any, text: str, lead: str = "") -> None:
    """Markdown source as paragraphs (a blank line starts a new one); `lead` in bold first."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()] or [""]
    for index, block in enumerate(blocks):
        paragraph = document.add_paragraph()
        if index == 0 and lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(block)


def _point(document: Any, point: NotePoint) -> None:
    lead = point.party + (" " + _("(modtaget efter fristen)") if point.late else "") + ": "
    _text(document, point.text, lead)
    outcome = point.outcome or _("Ikke behandlet endnu")
    document.add_paragraph().add_run(_("Vurdering: %(outcome)s", outcome=outcome)).italic = True
    if point.comment:
        _text(document, point.comment, _("Sekretariatets bemærkning: "))


def write_note(data: NoteData) -> bytes:
    """The note as DOCX bytes."""
    document = Document()
    _danish(document)
    document.core_properties.title = _("Høringsnotat: %(title)s", title=data.title)
    document.core_properties.language = "da-DK"

    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run(_("Side") + " ")
    _field(footer, "PAGE")
    footer.add_run(" " + _("af") + " ")
    _field(footer, "NUMPAGES")

    document.add_heading(_("Høringsnotat"), level=0)
    document.add_paragraph(data.title)
    document.add_paragraph(_("Teksten i høring: %(text)s", text=data.text_title))
    if data.issued:
        document.add_paragraph(_("Udarbejdet den %(day)s", day=data.issued))

    document.add_heading(_("1. Høringen"), level=1)
    document.add_paragraph(_("Udkastet har været i høring %(period)s.", period=data.period))
    document.add_paragraph(_("Der er modtaget %(answered)d svar fra de %(parties)d hørte "
                             "parter. Listen viser, hvem der har svaret.",
                             answered=data.answered, parties=len(data.parties)))
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, label in zip(header.cells, (_("Part"), _("Svar modtaget"), _("Bemærkning")),
                           strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    for party in data.parties:
        cells = table.add_row().cells
        cells[0].text = party.name
        cells[1].text = _("Ja") if party.answered else _("Nej")
        cells[2].text = _party_note(party.no_comments, party.late)

    document.add_heading(_("2. Høringssvarenes hovedindhold"), level=1)
    if data.unprocessed:
        document.add_paragraph(_("%(n)d svar er endnu ikke behandlet.", n=data.unprocessed))
    if not data.groups:
        document.add_paragraph(_("Der er ikke modtaget bemærkninger til teksten."))
    for group in data.groups:
        document.add_heading(group.title, level=2)
        for point in group.points:
            _point(document, point)

    document.add_heading(_("3. Ændringer i teksten"), level=1)
    if not data.next_version_label:
        document.add_paragraph(_("Der er endnu ikke lavet en ny version af teksten."))
    elif not data.changes:
        document.add_paragraph(_("Høringssvarene har ikke ført til ændringer i %(label)s.",
                                 label=data.next_version_label))
    else:
        document.add_paragraph(_("Høringssvarene har ført til disse ændringer i %(label)s:",
                                 label=data.next_version_label))
    for change in data.changes:
        document.add_heading(change.title, level=2)
        for reason in change.reasons:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(reason.party + ": ").bold = True
            paragraph.add_run(reason.text)
            if reason.reason:
                paragraph.add_run(" – " + reason.reason)

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _party_note(no_comments: bool, late: bool) -> str:
    notes = []
    if no_comments:
        notes.append(_("Ingen bemærkninger"))
    if late:
        notes.append(_("Modtaget efter fristen"))
    return ", ".join(notes)
