"""The injectable clock: every workflow takes `now` from here, so tests and demos can move time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app


class Clock:
    def __init__(self, fixed: datetime | None = None) -> None:
        self._fixed = fixed

    @property
    def is_fixed(self) -> bool:
        return self._fixed is not None

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def set(self, when: datetime | None) -> None:
        if when is not None and when.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._fixed = when.astimezone(UTC) if when is not None else None


def parse_fixed_now(value: str) -> datetime | None:
    """Read AFTALEHJUL_NOW: ISO 8601; a value without zone is Copenhagen local time."""
    if not value:
        return None
    from .formatting import LOCAL_TZ

    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed.astimezone(UTC)


def get_clock() -> Clock:
    return current_app.extensions["clock"]


def now() -> datetime:
    return get_clock().now()


def running_from(start: datetime) -> Callable[[], datetime]:
    """`start`, moved on by the time that passes on the app's clock from this call: a long job
    handed one `now` still knows the time at each step (a lease taken late in a batch starts
    then, not when the batch began)."""
    clock = get_clock()
    origin = clock.now()
    return lambda: start + (clock.now() - origin)
