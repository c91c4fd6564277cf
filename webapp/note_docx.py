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


# Characters XML 1.0 cannot hold (a stored text from before the input filter): dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class _Writer:
    """Paragraphs and runs appended as OOXML directly. python-docx's `add_paragraph` looks for
    the section properties among all of the body's children on every call and `run.bold`
    walks the run's properties, which made a note of 200 responses cost over a second; here
    each paragraph goes straight in before the body's `w:sectPr`. Styles are python-docx's own
    (looked up once by name), so Word sees the same Heading styles."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.end = document.element.body.sectPr
        self.style_ids = {name: document.styles[name].style_id
                          for name in ("Title", "Heading 1", "Heading 2", "List Bullet")}

    def paragraph(self, text: str = "", style: str | None = None, bold: bool = False,
                  italic: bool = False) -> Any:
        p = OxmlElement("w:p")
        if style is not None:
            properties = OxmlElement("w:pPr")
            style_ref = OxmlElement("w:pStyle")
            style_ref.set(qn("w:val"), self.style_ids[style])
            properties.append(style_ref)
            p.append(properties)
        if text:
            self.run(p, text, bold, italic)
        if self.end is not None:
            self.end.addprevious(p)
        else:
            self.document.element.body.append(p)
        return p

    def heading(self, text: str, level: int) -> None:
        self.paragraph(text, "Title" if level == 0 else f"Heading {level}")

    @staticmethod
    def run(p: Any, text: str, bold: bool = False, italic: bool = False) -> None:
        r = OxmlElement("w:r")
        if bold or italic:
            properties = OxmlElement("w:rPr")
            if bold:
                properties.append(OxmlElement("w:b"))
            if italic:
                properties.append(OxmlElement("w:i"))
            r.append(properties)
        for index, line in enumerate(_NOT_XML.sub("", text).split("\n")):
            if index:
                r.append(OxmlElement("w:br"))
            t = OxmlElement("w:t")
            t.text = line
            t.set(_XML_SPACE, "preserve")
            r.append(t)
        p.append(r)

    def text(self, text: str, lead: str = "") -> None:
        """Markdown source as paragraphs (a blank line starts a new one); `lead` in bold."""
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()] or [""]
        for index, block in enumerate(blocks):
            p = self.paragraph(lead, bold=True) if index == 0 and lead else self.paragraph()
            self.run(p, block)

    def point(self, point: NotePoint) -> None:
        lead = point.party + (" " + _("(modtaget efter fristen)") if point.late else "") + ": "
        self.text(point.text, lead)
        if point.outcome or not point.processed:
            outcome = point.outcome or _("Ikke behandlet endnu")
            self.paragraph(_("Vurdering: %(outcome)s", outcome=outcome), italic=True)
        if point.comment:
            self.text(point.comment, _("Sekretariatets bemærkning: "))


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

    w = _Writer(document)
    w.heading(_("Høringsnotat"), 0)
    w.paragraph(data.title)
    w.paragraph(_("Teksten i høring: %(text)s", text=data.text_title))
    if data.issued:
        w.paragraph(_("Udarbejdet den %(day)s", day=data.issued))

    w.heading(_("1. Høringen"), 1)
    w.paragraph(_("Udkastet har været i høring %(period)s.", period=data.period))
    w.paragraph(_("Der er modtaget %(answered)d svar fra de %(parties)d hørte parter. Listen "
                  "viser, hvem der har svaret.", answered=data.answered,
                  parties=len(data.parties)))
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_header(header)
    for cell, label in zip(header.cells, (_("Part"), _("Svar modtaget"), _("Bemærkning")),
                           strict=True):
        w.run(cell.paragraphs[0]._p, label, bold=True)
    for party in data.parties:
        cells = table.add_row().cells
        for cell, value in zip(cells, (party.name, _("Ja") if party.answered else _("Nej"),
                                       _party_note(party.no_comments, party.late)), strict=True):
            if value:
                w.run(cell.paragraphs[0]._p, value)

    w.heading(_("2. Høringssvarenes hovedindhold"), 1)
    if data.unprocessed:
        w.paragraph(_("%(n)d svar er endnu ikke behandlet.", n=data.unprocessed))
    if not data.groups:
        w.paragraph(_("Der er ikke modtaget bemærkninger til teksten."))
    for group in data.groups:
        w.heading(group.title, 2)
        for point in group.points:
            w.point(point)

    w.heading(_("3. Ændringer i teksten"), 1)
    if not data.next_version_label:
        w.paragraph(_("Der er endnu ikke lavet en ny version af teksten."))
    elif not data.changes:
        w.paragraph(_("Høringssvarene har ikke ført til ændringer i %(label)s.",
                      label=data.next_version_label))
    else:
        w.paragraph(_("Høringssvarene har ført til disse ændringer i %(label)s:",
                      label=data.next_version_label))
    for change in data.changes:
        w.heading(change.title, 2)
        for reason in change.reasons:
            p = w.paragraph(reason.party + ": ", "List Bullet", bold=True)
            w.run(p, reason.text + (" – " + reason.reason if reason.reason else ""))

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
