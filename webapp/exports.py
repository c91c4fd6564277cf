"""File writers: plain data in, bytes out. No database, no request. CSV, XLSX and ICS.

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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Event, vDuration

from .formatting import LOCAL_TZ

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


def ascii_download_name(title: str, suffix: str, fallback: str = "eksport") -> str:
    """An ASCII file name from a title (æ, ø, å spelled out): for downloads whose header must
    carry no letters beyond ASCII."""
    folded = title.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") \
        .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    name = download_name(folded.encode("ascii", "ignore").decode(), suffix)
    return name if name.isascii() else f"{fallback}.{suffix}"


# -- ICS (RFC 5545) ----------------------------------------------------------------------------
#
# Times are written as local times with TZID=Europe/Copenhagen (kl. 08.00 stays kl. 08.00 on both
# sides of a daylight-saving change) and the calendar carries a VTIMEZONE for that zone, built by
# icalendar from the tz database for the years the events span, so a client that does not know
# the zone by name still converts correctly, and a change of the rules reaches the feed with
# tzdata.

ICS_TZID = LOCAL_TZ.key  # "Europe/Copenhagen": the zone the rest of the app shows times in
ICS_PRODID = "-//Aftalehjul//Rammeaftaler//DA"
ICS_REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class IcsEvent:
    """One VEVENT. `start` and `end` are aware local times, or dates for a whole-day event
    (DTEND the day after, as RFC 5545 has it); `busy` False marks it free
    (TRANSP:TRANSPARENT) so it does not block the person's calendar."""

    uid: str
    start: datetime | date
    end: datetime | date
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    sequence: int = 0
    busy: bool = True


def _vevent(item: IcsEvent, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", item.summary)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.categories:
        event.add("categories", list(item.categories))
    event.add("sequence", item.sequence)
    event.add("transp", "OPAQUE" if item.busy else "TRANSPARENT")
    return event


ZONE_YEARS = (1970, 2199)


def ics_calendar(events: Iterable[IcsEvent], *, name: str, description: str,
                 stamp: datetime) -> bytes:
    """A VCALENDAR with the events and, if there are any, the Copenhagen VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", ICS_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", ICS_TZID)
    # How often clients should fetch again (RFC 7986; X-PUBLISHED-TTL for Outlook). Explicitly a
    # DURATION: icalendar does not know these names and would write "1:00:00".
    cal.add("refresh-interval", vDuration(ICS_REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(ICS_REFRESH))
    years: set[int] = set()
    for item in events:
        years.update((item.start.year, item.end.year))
        cal.add_component(_vevent(item, stamp))
    if years:
        # The zone's transitions for the whole years the events span, from the tz database;
        # kept to ZONE_YEARS, so a stray year 1 or 9999 in stored data neither overflows nor
        # writes thousands of transitions (clients carry the last rule on).
        first, last = (min(max(y, ZONE_YEARS[0]), ZONE_YEARS[1]) for y in (min(years),
                                                                            max(years)))
        cal.add_missing_timezones(first_date=date(first, 1, 1),
                                  last_date=date(last + 1, 1, 1))
        # Zones before the events that use them in every icalendar (6 appends them, 7 not).
        cal.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return bytes(cal.to_ical())
