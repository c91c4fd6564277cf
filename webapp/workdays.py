"""Working days in Denmark: weekends and the public holidays (helligdage). Pure functions.

Used where dates are made rather than typed (a cloned cycle moves every milestone by whole
years, which lands some on a Saturday or a holiday) to say so and offer the working day before.
Only the official holidays count; Grundlovsdag, Juleaftensdag and Nytårsaftensdag are working
days by law, though many offices close.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from babel.dates import format_date as babel_format_date

from .i18n import gettext as _


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lk = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lk) // 433
    month = (h + lk - 7 * m + 90) // 25
    day = (h + lk - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


@cache
def _holidays(year: int) -> dict[date, str]:
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nytårsdag",
        easter - timedelta(days=3): "Skærtorsdag",
        easter - timedelta(days=2): "Langfredag",
        easter: "Påskedag",
        easter + timedelta(days=1): "2. påskedag",
        easter + timedelta(days=39): "Kristi himmelfartsdag",
        easter + timedelta(days=49): "Pinsedag",
        easter + timedelta(days=50): "2. pinsedag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
    }
    if year < 2024:  # abolished from 2024
        days[easter + timedelta(days=26)] = "Store bededag"
    return days


def holiday(day: date) -> str | None:
    """The name of the public holiday on `day`, or None."""
    return _holidays(day.year).get(day)


def day_off(day: date) -> str | None:
    """Why `day` is no working day, in words ("lørdag", "Kristi himmelfartsdag"), or None."""
    name = holiday(day)
    if name is not None:
        return name
    if day.weekday() >= 5:
        return weekday_name(day)
    return None


def weekday_name(day: date) -> str:
    return babel_format_date(day, "EEEE", locale="da")


def working_day_before(day: date) -> date:
    """`day` itself if it is a working day, else the last working day before it (Saturday and
    Sunday → Friday, Påskelørdag → the Wednesday before). Earlier, never later: a deadline the
    law sets (the approvals by 15 October) must not move past its date."""
    while day_off(day) is not None:
        day -= timedelta(days=1)
    return day


def describe(day: date) -> str:
    """"fredag 15.11.2019"."""
    return _("%(weekday)s %(date)s", weekday=weekday_name(day), date=day.strftime("%d.%m.%Y"))
