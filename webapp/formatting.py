"""Danish dates, times and numbers, always shown in Europe/Copenhagen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask import Flask

from .i18n import gettext as _
from .i18n import ngettext

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")

def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(LOCAL_TZ)
    except OverflowError:  # within an hour of the calendar's end: showing it must not fail
        return value.replace(tzinfo=LOCAL_TZ)


def local_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in Copenhagen as an aware UTC datetime. An hour the clock shows twice
    (October) is read by `at.fold`: 0 the first (summer time), 1 the second (winter time). A
    time the clock skips (March) is an error to the person first (`skipped_time`); here it
    would read as an hour later."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC)


def skipped_time(day: date, at: time) -> time | None:
    """When the clock skips `at` on `day` (the switch to summer time): the time it reads as,
    one hour later (02.30 → 03.30); else None."""
    naive = datetime.combine(day, at.replace(fold=0))
    actual = naive.replace(tzinfo=LOCAL_TZ).astimezone(UTC).astimezone(LOCAL_TZ)
    return None if actual.replace(tzinfo=None) == naive else actual.time()


def repeated_time(day: date, at: time) -> bool:
    """Whether the clock shows `at` twice on `day` (the switch back to winter time)."""
    first = datetime.combine(day, at.replace(fold=0), tzinfo=LOCAL_TZ)
    return first.utcoffset() != first.replace(fold=1).utcoffset() and not skipped_time(day, at)


def utc_offset(day: date, at: time) -> str:
    """The offset of a local time from UTC as people write it: "+02:00" (`at.fold` counts)."""
    offset = datetime.combine(day, at, tzinfo=LOCAL_TZ).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d.%m.%Y")


def format_long_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return babel_format_date(value, "d. MMMM y", locale="da")


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return "kl. " + to_local(value).strftime("%H.%M")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{format_date(value)} {format_time(value)}"


# Danish numbers as CLDR writes them for da_DK ("#,##0.###", half-even rounding): a results page
# formats hundreds, and Babel parses its pattern and looks up the locale's symbols on every call.
# tests/test_formatting.py holds this to Babel's own output.
_DECIMAL_PLACES = 3


def format_number(value: float | int | Decimal | None, digits: int | None = None) -> str:
    """`digits` fixes the decimals (trailing zeros kept); without it, up to three are shown."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and not digits:
        return f"{value:,}".replace(",", ".")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return format_decimal(value, locale="da_DK")  # "∞", "NaN" as Babel writes them
    places = _DECIMAL_PLACES if digits is None else digits
    try:
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:  # more digits than the decimal context holds: Babel copes
        return format_decimal(value, locale="da_DK")
    whole, _point, fraction = f"{abs(rounded):f}".partition(".")
    if digits is None:
        fraction = fraction.rstrip("0")
    sign = "-" if rounded.is_signed() else ""
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


_DANISH_LETTERS = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def danish_key(text: str) -> str:
    """Sort key in Danish order: Æ, Ø, Å after Z, and "Aa" as Å (Aalborg after Vesthimmerland)."""
    folded = text.casefold()
    if folded.startswith("aa"):
        folded = "å" + folded[2:]
    return folded.replace(" aa", " å").translate(_DANISH_LETTERS)


def days_left_label(days: int) -> str:
    if days == 0:
        return _("i dag")
    if days == 1:
        return _("i morgen")
    if days > 1:
        return _("%(num)d dage", num=days)
    return ngettext("%(num)d dag over fristen", "%(num)d dage over fristen", -days)


def with_colon(label: object) -> str:
    """A label that leads in to what follows ("Titel: …"): a colon, unless the label already
    ends in a question mark or a colon ("Hvorfor genåbnes besvarelsen?" gets none)."""
    text = str(label).rstrip()
    return text if text.endswith(("?", ":")) else f"{text}:"


def join_or(items: Iterable[object]) -> str:
    """A Danish list of alternatives: "1", "1 eller 2", "1, 2 eller 3"."""
    texts = [str(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return _("%(first)s eller %(last)s", first=", ".join(texts[:-1]), last=texts[-1])


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=format_date,
        longdate=format_long_date,
        time=format_time,
        datetime=format_datetime,
        number=format_number,
        days_left=days_left_label,
        local=to_local,
        with_colon=with_colon,
        join_or=join_or,
    )
