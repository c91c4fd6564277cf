"""Agreement texts as Word files (python-docx): reading an uploaded DOCX into sections, and
writing a version with real Heading styles. Plain data in, plain data or bytes out.

Reading: "Heading 1" starts a level-1 section, "Heading 2" a level-2 section (Word in Danish
stores the same built-in styles, "Overskrift 1"/"Overskrift 2"); paragraphs, lists and tables
become the section's Markdown body. Text before the first heading goes into a section of its
own ("Indledning"). A file is a DOCX by its content, never by its name: a zip holding
`[Content_Types].xml` and `word/document.xml`, not too big unpacked (a zip bomb), that
python-docx can open.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .i18n import gettext as _
from .text import clean_text

MAX_DOCX_BYTES = 10 * 1024 * 1024  # the upload
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # what the zip claims to hold once unpacked
MAX_SECTIONS = 1000
HEADING_MAX = 300  # TextSection.heading

_LEVELS = {"heading 1": 1, "overskrift 1": 1, "heading 2": 2, "overskrift 2": 2}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# The number a heading carries when typed by hand or written by `write_docx` ("2.1 Formål"):
# not part of the heading, since numbers follow from the order. Years ("2018 …") stay.
_HEADING_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+(?=\S)")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


class NotADocx(ValueError):
    """The upload cannot be read as a Word document; the message is Danish."""


@dataclass
class ParsedSection:
    level: int
    heading: str
    body_lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines).strip("\n")


@dataclass(frozen=True)
class ParsedDocument:
    title: str  # the "Title" paragraph, if any
    sections: list[ParsedSection]


def _escape(text: str) -> str:
    """Word's text as Markdown that shows exactly that text: no accidental emphasis, no tag."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # A backslash escapes punctuation only: "1." becomes "1\.", "#" becomes "\#".
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1],
                            text)


def _runs_markdown(paragraph: Paragraph) -> str:
    parts: list[str] = []
    for run in paragraph.runs:
        raw = clean_text(run.text)
        if not raw.strip():
            parts.append(raw)
            continue
        text = _escape(raw)
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        if run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        parts.append(lead + core + trail)
    return "".join(parts).strip()


def _list_kind(paragraph: Paragraph) -> str | None:
    name = (paragraph.style.name if paragraph.style is not None else "").lower()
    if "list number" in name or "opstilling med tal" in name:
        return "number"
    if "list" in name or "opstilling" in name:
        return "bullet"
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.find(qn("w:numPr")) is not None:
        return "bullet"
    return None


def _table_markdown(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells = [_escape(clean_text(c.text)).replace("\n", " ").strip() or " " for c in row.cells]
        rows.append("| " + " | ".join(cells) + " |")
    if not rows:
        return []
    width = len(table.rows[0].cells)
    return ["", rows[0], "|" + " --- |" * width, *rows[1:], ""]


def check_docx(data: bytes) -> None:
    """Refuse what is not a Word document (by content), with a Danish message."""
    if len(data) > MAX_DOCX_BYTES:
        raise NotADocx(_("Filen er for stor. En DOCX-fil må højst fylde %(mb)s MB.",
                         mb=MAX_DOCX_BYTES // (1024 * 1024)))
    not_docx = _("Filen er ikke et Word-dokument (DOCX). Gem dokumentet som .docx i Word, "
                 "og prøv igen.")
    if not data or not zipfile.is_zipfile(io.BytesIO(data)):
        raise NotADocx(not_docx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise NotADocx(not_docx) from error
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise NotADocx(not_docx)
    if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise NotADocx(_("Filen er for stor, når den pakkes ud. Del dokumentet op, og prøv "
                         "igen."))


def read_docx(data: bytes) -> ParsedDocument:
    """The sections of a Word document. Raises NotADocx for anything else."""
    check_docx(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise NotADocx(_("Filen kunne ikke læses som et Word-dokument (DOCX). Gem dokumentet "
                         "igen i Word, og prøv igen.")) from error
    title = ""
    sections: list[ParsedSection] = []
    numbered = 0

    def current() -> ParsedSection:
        if not sections:
            sections.append(ParsedSection(1, _("Indledning")))
        return sections[-1]

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            current().body_lines.extend(_table_markdown(Table(child, document)))
            continue
        if child.tag != qn("w:p"):
            continue
        paragraph = Paragraph(child, document)
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        plain = " ".join(clean_text(paragraph.text).split())
        if style == "title":
            title = title or plain
            continue
        level = _LEVELS.get(style)
        if level is not None and plain:
            sections.append(ParsedSection(level, _HEADING_NUMBER.sub("", plain)))
            numbered = 0
            continue
        text = _runs_markdown(paragraph)
        body = current().body_lines
        if not text:
            if body and body[-1] != "":
                body.append("")
            continue
        kind = _list_kind(paragraph)
        if kind is None:
            numbered = 0
            if body and body[-1] != "":
                body.append("")
            body.append(text)
        else:
            if body and body[-1] != "" and not re.match(r"^(- |\d+\. )", body[-1]):
                body.append("")
            if kind == "number":
                numbered += 1
                body.append(f"{numbered}. {text}")
            else:
                body.append(f"- {text}")
    if len(sections) > MAX_SECTIONS:
        raise NotADocx(_("Dokumentet har mere end %(n)s overskrifter. Del det op, og prøv "
                         "igen.", n=MAX_SECTIONS))
    for sec in sections:
        if len(sec.heading) > HEADING_MAX:
            raise NotADocx(_("Overskriften “%(start)s…” er længere end %(n)s tegn. Gør den "
                             "kortere i Word, og prøv igen.", start=sec.heading[:40],
                             n=HEADING_MAX))
    return ParsedDocument(title[:200], sections)


# -- writing --------------------------------------------------------------------------------

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class OutSection:
    number: str
    level: int
    heading: str
    body: str


def _add_inline(paragraph: Paragraph, token: Token | None) -> None:
    bold = italic = False
    for child in (token.children or []) if token is not None else []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold, run.italic = bold or None, italic or None
        elif child.type in ("softbreak",):
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break(WD_BREAK.LINE)


def _add_body(document: DocxDocument, body: str) -> None:
    tokens = _md.parse(body)
    lists: list[str] = []  # "bullet" / "ordered", innermost last
    row: list[str] = []
    rows: list[list[str]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "bullet_list_open":
            lists.append("bullet")
        elif token.type == "ordered_list_open":
            lists.append("ordered")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "heading_open":
            level = min(int(token.tag[1:]) + 2, 9)  # inside a section: below its own heading
            paragraph = document.add_heading("", level=level)
            _add_inline(paragraph, tokens[i + 1])
            i += 2
        elif token.type == "paragraph_open":
            style = None
            if lists:
                style = "List Number" if lists[-1] == "ordered" else "List Bullet"
            paragraph = document.add_paragraph(style=style)
            _add_inline(paragraph, tokens[i + 1])
            i += 2
        elif token.type in ("fence", "code_block"):
            document.add_paragraph(token.content.rstrip("\n"))
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close" and rows:
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    table.cell(r, c).text = value
            rows = []
        i += 1


def write_docx(title: str, subtitle: str, sections: Sequence[OutSection]) -> bytes:
    """A version as a Word document: the title, a line saying which version, then each section
    as a real numbered heading ("Heading 1"/"Heading 2") followed by its body."""
    document = Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    if subtitle:
        document.add_paragraph(subtitle)
    for sec in sections:
        document.add_heading(f"{sec.number} {sec.heading}", level=1 if sec.level <= 1 else 2)
        if sec.body.strip():
            _add_body(document, sec.body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
