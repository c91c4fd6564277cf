"""ICS calendar feeds: milestones as VEVENTs in Europe/Copenhagen wall-clock time.

Plain data in, bytes out: no database, no request. The caller loads the milestones (with their
cycle: `Milestone.cycle` is lazy="raise") and says how to link to a cycle.

Times are written as local times with TZID=Europe/Copenhagen (kl. 08.00 stays kl. 08.00 on both
sides of a daylight-saving change) and the calendar carries a VTIMEZONE for that zone with the
EU rules as RRULEs (last Sunday of March and of October, in force since 1996), so a client that
does not know the zone by name still converts correctly, for every year, without a list of dates.

A pure deadline (no start) becomes a 30-minute event that ends at the deadline: it shows up in a
day or week view, ends exactly when the deadline passes, and is marked free (TRANSP:TRANSPARENT)
so it does not block the person's calendar. Periods longer than a day (a questionnaire open for
two months) are marked free too; meetings are busy. An event with DTSTART equal to DTEND is not
allowed by RFC 5545 (DTEND must be later), so that option was not taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Timezone, vDuration

from .formatting import LOCAL_TZ, to_local
from .models import Milestone

TZID = LOCAL_TZ.key  # "Europe/Copenhagen": the zone the rest of the app shows times in
PRODID = "-//Aftalehjul//Rammeaftaler//DA"
DEADLINE_LENGTH = timedelta(minutes=30)
REFRESH = timedelta(hours=1)
UID_DOMAIN = "aftalehjul"

# Central European Time with EU summer time: 02.00 -> 03.00 on the last Sunday of March,
# 03.00 -> 02.00 on the last Sunday of October (both at 01.00 UTC).
VTIMEZONE = f"""BEGIN:VTIMEZONE
TZID:{TZID}
X-LIC-LOCATION:{TZID}
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
""".replace("\n", "\r\n")


def copenhagen_timezone() -> Timezone:
    timezone = Timezone.from_ical(VTIMEZONE)
    assert isinstance(timezone, Timezone)  # from_ical is typed as returning any Component
    return timezone


def milestone_uid(milestone: Milestone) -> str:
    """Stable across edits and moves, so a client updates the event instead of adding one."""
    return f"milestone-{milestone.id}@{UID_DOMAIN}"


def event_times(milestone: Milestone) -> tuple[datetime, datetime]:
    """Start and end in Copenhagen time; a pure deadline is the half hour before it."""
    end = to_local(milestone.ends_at)
    start = to_local(milestone.starts_at) if milestone.starts_at else end - DEADLINE_LENGTH
    return start, end


def milestone_event(milestone: Milestone, *, stamp: datetime, url: str,
                    category: str = "") -> Event:
    start, end = event_times(milestone)
    is_deadline = milestone.starts_at is None
    event = Event()
    event.add("uid", milestone_uid(milestone))
    event.add("dtstamp", stamp.astimezone(UTC))
    summary = milestone.title
    if is_deadline and not summary.casefold().startswith("frist"):  # no "Frist: Frist: …"
        summary = f"Frist: {summary}"
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    if milestone.place:
        event.add("location", milestone.place)
    description = milestone.description.strip() if milestone.description else ""
    cycle_line = f"Rammeaftale: {milestone.cycle.title}"
    event.add("description", f"{description}\n\n{cycle_line}" if description else cycle_line)
    event.add("url", url)
    if category:
        event.add("categories", [category])
    event.add("sequence", max((milestone.version_id or 1) - 1, 0))
    long_period = end - start > timedelta(days=1)
    event.add("transp", "TRANSPARENT" if is_deadline or long_period else "OPAQUE")
    return event


def build_feed(
    milestones: Iterable[Milestone],
    *,
    name: str,
    description: str,
    stamp: datetime,
    cycle_url: Callable[[int], str],
    category: Callable[[Milestone], str] = lambda m: "",
) -> bytes:
    """A VCALENDAR with one VEVENT per milestone and the Copenhagen VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", TZID)
    # How often clients should fetch again (RFC 7986; X-PUBLISHED-TTL for Outlook). Explicitly a
    # DURATION: icalendar does not know these names and would write "1:00:00".
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(copenhagen_timezone())
    for milestone in milestones:
        cal.add_component(milestone_event(milestone, stamp=stamp,
                                          url=cycle_url(milestone.cycle_id),
                                          category=str(category(milestone))))
    return cal.to_ical()
