"""What is read from the address: ids in the path, page numbers and search terms in the query
string.

A number the database cannot hold (ids are 32-bit integers on PostgreSQL, 64-bit on SQLite)
must never reach a query: it fails there with a 500 instead of "not found".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.routing import IntegerConverter, Map, ValidationError

from .text import clean_text

# The largest id any of our tables can hold (PostgreSQL's INTEGER).
MAX_ID = 2**31 - 1
# Far beyond any real list; keeps OFFSET well inside the database's range.
MAX_PAGE = 100_000


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` for the whole app: only 1..MAX_ID matches, anything else is a 404."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> Any:
        # Refuse an absurdly long digit string before converting it at all.
        if len(value) > len(str(MAX_ID)):
            raise ValidationError()
        return super().to_python(value)


def clamp_page(page: int | None) -> int:
    """A page number inside 1..MAX_PAGE, whatever was asked for."""
    if page is None:
        return 1
    return min(max(page, 1), MAX_PAGE)


def search_text(args: Mapping[str, Any], name: str, limit: int = 200) -> str:
    """A search term from the query string: no control characters (a NUL fails on PostgreSQL),
    trimmed, and no longer than any stored value it could match."""
    return clean_text(str(args.get(name) or "")).strip()[:limit]


def page_number(args: Mapping[str, Any], name: str = "side") -> int:
    """The page number in the query string (`?side=`), clamped; anything unreadable is page 1."""
    raw = args.get(name)
    if raw is None:
        return 1
    text = str(raw).strip()
    if not text or len(text) > 12 or not text.lstrip("-").isdigit():
        return 1
    return clamp_page(int(text))
