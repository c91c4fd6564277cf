"""Import files for the tests: an XLSX workbook of rows, as bytes."""

from __future__ import annotations

import io

from openpyxl import Workbook


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
