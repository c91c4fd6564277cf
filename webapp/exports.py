"""File writers: plain data in, bytes out. No database, no request.

CSV is written for Danish Excel: UTF-8 with a byte order mark (or Excel guesses the wrong
encoding), semicolons (the comma is the decimal sign), numbers with a decimal comma and no
thousands separator (Excel reads them as numbers). XLSX keeps numbers as number cells.

Text that a spreadsheet would run as a formula (=, +, -, @ first) is written so that it stays
text: in CSV with a leading apostrophe (the usual guard against formula injection), in XLSX as
an explicit string cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (openpyxl refuses them): control characters except tab/newline.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def danish_number(value: int | float) -> str:
    """2643 -> "2643", 1.8 -> "1,8", 2.0 -> "2": Danish Excel reads these as numbers."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f").replace(".", ",")
    return str(value)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int | float):
        return danish_number(value)
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM, `;` between fields, every field quoted only where needed, CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
               sheet_title: str = "Besvarelser", widths: Sequence[float] = ()) -> bytes:
    """One sheet, header row in bold and frozen, numbers as number cells (write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "B2"
    for index, width in enumerate(widths, start=1):
        from openpyxl.utils import get_column_letter

        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(str(header)))
        cell.font = bold
        _keep_text(cell)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_text(text: str) -> str:
    return _ILLEGAL_XML.sub("", text) if _ILLEGAL_XML.search(text) else text


def _keep_text(cell: Cell) -> None:
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"  # openpyxl would otherwise store it as a formula


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    if not isinstance(value, str):
        return value
    text = _xlsx_text(value)
    if text.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=text)
        _keep_text(cell)
        return cell
    return text


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Ark"
    return cleaned[:31]


def download_name(title: str, suffix: str) -> str:
    """A file name from a title: letters (Danish too), digits, '-' and '_'."""
    stem = re.sub(r"[^\w\-]+", "-", title, flags=re.UNICODE).strip("-_") or "eksport"
    return f"{stem[:80]}.{suffix}"
