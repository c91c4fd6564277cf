"""An import file read into rows of text: CSV (UTF-8 with or without BOM, or Windows-1252 as
Excel saves it; `;` or `,` between fields) or XLSX (the first sheet). Pure: bytes in, rows out,
a Danish `WorkflowError` at the field "file" for a file that cannot be read at all.

A file is CSV or XLSX by its content, never by its name. XLSX is read with openpyxl in
read-only mode without ever computing anything: a cell holding a formula is not read as a
value (its cached result could be anything the sheet's author made it say), the row is
refused in the preview with the cell named, so the secretariat pastes the value instead.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from ...i18n import gettext as _
from ...text import clean_text
from ...uploads import clean_filename, max_bytes, size_label
from ..base import WorkflowError

MAX_ROWS = 10_000
# An XLSX is a zip: refuse one that would unpack to far more than any sheet of 10,000 rows.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_CELL = 500


@dataclass
class Row:
    """One line of the file (its number as a spreadsheet shows it) and its cells by column."""

    line: int
    cells: dict[str, str]
    formula: str = ""  # the first cell holding a formula, e.g. "C4"


@dataclass
class Table:
    file_name: str
    rows: list[Row] = field(default_factory=list)


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return False
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkflowError(_("Regnearket er for stort pakket ud. Gem det som CSV, eller del "
                              "det i flere filer."), field="file")
    return True


def _decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which is what Excel's "CSV" writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise WorkflowError(_("Filen kan ikke læses som tekst. Gem den som CSV (UTF-8) eller "
                              "XLSX fra dit regneark."), field="file") from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean_text(str(value)).strip()[:MAX_CELL]


def _check_count(rows: int) -> None:
    if rows > MAX_ROWS:
        raise WorkflowError(_("Filen har flere end %(n)s rækker. Del den i flere filer med "
                              "højst %(n)s rækker hver.", n=f"{MAX_ROWS:,}".replace(",", ".")),
                            field="file")


def _read_csv(text: str) -> list[tuple[int, list[str], str]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    out = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""),
                                                  delimiter=delimiter), start=1):
            out.append((number, [_cell_text(c) for c in cells], ""))
            _check_count(len(out) - 1)
    except csv.Error:
        raise WorkflowError(_("Filen er ikke en gyldig CSV-fil (fx et citationstegn, der ikke "
                              "lukkes). Gem den igen fra dit regneark."), field="file") from None
    return out


def _read_xlsx(data: bytes) -> list[tuple[int, list[str], str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same here
        raise WorkflowError(_("Regnearket kan ikke åbnes. Gem det igen som XLSX, og prøv "
                              "igen."), field="file") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        out = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells, formula = [], ""
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    formula = formula or f"{getattr(cell, 'coordinate', '')}"
                    cells.append("")
                else:
                    cells.append(_cell_text(cell.value))
            out.append((number, cells, formula))
            _check_count(len(out) - 1)
        return out
    finally:
        workbook.close()


def read_table(data: bytes, filename: str, columns: dict[str, str]) -> Table:
    """The file's rows by column key. `columns` maps the template's Danish headings to keys;
    the header row must hold those headings (any order, any case) and nothing else."""
    limit = max_bytes()
    if len(data) > limit:
        raise WorkflowError(_("Filen er for stor. Den må højst fylde %(limit)s.",
                              limit=size_label(limit)), field="file")
    if not data.strip():
        raise WorkflowError(_("Filen er tom. Brug skabelonen, og udfyld en række pr. "
                              "organisation eller person."), field="file")
    if _is_xlsx(data):
        lines = _read_xlsx(data)
    elif data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise WorkflowError(_("Kun CSV- og XLSX-filer kan importeres. Gem filen i et af de "
                              "formater fra dit regneark."), field="file")
    else:
        lines = _read_csv(_decode(data))
    lines = [(n, cells, f) for n, cells, f in lines if any(cells) or f]
    if not lines:
        raise WorkflowError(_("Filen er tom. Brug skabelonen, og udfyld en række pr. "
                              "organisation eller person."), field="file")
    _number, header, _formula = lines[0]
    wanted = {heading.casefold(): key for heading, key in columns.items()}
    keys: list[str | None] = []
    unknown = []
    for heading in header:
        if not heading:
            keys.append(None)
            continue
        key = wanted.get(heading.casefold())
        if key is None:
            unknown.append(heading)
        keys.append(key)
    missing = [h for h, k in columns.items() if k not in keys]
    if unknown or missing:
        expected = ", ".join(f"“{h}”" for h in columns)
        raise WorkflowError(_("Første række skal være skabelonens kolonner: %(expected)s. "
                              "%(problem)s", expected=expected, problem=" ".join(filter(None, [
                                  _("Ukendt kolonne: %(names)s.", names=", ".join(
                                      f"“{h}”" for h in unknown)) if unknown else "",
                                  _("Mangler: %(names)s.", names=", ".join(
                                      f"“{h}”" for h in missing)) if missing else "",
                              ]))), field="file")
    table = Table(file_name=clean_filename(filename or "import"))
    for number, cells, formula in lines[1:]:
        by_key = {k: v for k, v in zip(keys, cells, strict=False) if k is not None}
        table.rows.append(Row(line=number, cells={k: by_key.get(k, "") for k in columns.values()},
                              formula=formula))
    if not table.rows:
        raise WorkflowError(_("Filen har kun overskrifter og ingen rækker at importere."),
                            field="file")
    return table
