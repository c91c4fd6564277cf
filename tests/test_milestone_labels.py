"""Issue 9, item 14 (part): only a deadline is called "Frist". A meeting or an event (kickoff,
workshop, theme day, a meeting of kind "other") reads as its date and time, on "Mine opgaver",
the reminder pages and in the calendar feeds: one definition, `workflows.cycles.is_deadline`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar
from sqlalchemy.orm.attributes import set_committed_value

from tests import factories
from webapp.models import MilestoneKind, Role
from webapp.queries.calendar import milestone_event
from webapp.workflows import profile
from webapp.workflows.cycles import is_deadline, when_label


def _theme_day(cycle, starts=True):
    return factories.milestone(
        cycle, factories.at(2017, 4, 28, 15, 0), kind=MilestoneKind.THEME_DAY,
        title="Politisk temadag", audience=["politician"],
        starts_at=factories.at(2017, 4, 28, 9, 30) if starts else None)


@pytest.mark.parametrize(("kind", "starts", "deadline"), [
    (MilestoneKind.QUESTIONNAIRE, True, True),
    (MilestoneKind.APPROVAL, False, True),
    (MilestoneKind.DRAFT, False, True),
    (MilestoneKind.CONSULTATION, True, True),
    (MilestoneKind.OTHER, False, True),
    (MilestoneKind.OTHER, True, False),
    (MilestoneKind.THEME_DAY, True, False),
    (MilestoneKind.THEME_DAY, False, False),
    (MilestoneKind.KICKOFF, False, False),
    (MilestoneKind.WORKSHOP, True, False),
])
def test_only_a_deadline_is_a_frist(db, world, kind, starts, deadline):
    m = factories.milestone(world["north"]["cycle"], factories.at(2017, 4, 28, 15, 0),
                            kind=kind, starts_at=factories.at(2017, 4, 28, 9, 30)
                            if starts else None)
    assert is_deadline(m) is deadline
    assert when_label(m).startswith("Frist ") is deadline


def test_how_a_milestones_time_reads(db, world):
    cycle = world["north"]["cycle"]
    assert when_label(_theme_day(cycle)) == "28.04.2017 kl. 09.30–15.00"
    assert when_label(_theme_day(cycle, starts=False)) == "28.04.2017 kl. 15.00"
    two_days = factories.milestone(cycle, factories.at(2017, 2, 7, 15, 30),
                                   kind=MilestoneKind.WORKSHOP,
                                   starts_at=factories.at(2017, 2, 6, 9, 0))
    assert when_label(two_days) == "06.02.2017 kl. 09.00 – 07.02.2017 kl. 15.30"
    deadline = factories.milestone(cycle, factories.at(2017, 5, 1, 12, 0),
                                   kind=MilestoneKind.QUESTIONNAIRE,
                                   starts_at=factories.at(2017, 3, 1, 8, 0))
    assert when_label(deadline) == "Frist 01.05.2017 kl. 12.00"


def test_my_tasks_call_a_theme_day_no_deadline(client, db, world, login_as):
    _theme_day(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.POLITICIAN)
    page = client.get("/oversigt").get_data(as_text=True)
    assert "28.04.2017 kl. 09.30–15.00" in page
    assert "Frist 28.04.2017" not in page
    assert "Frist 15.10.2017 kl. 23.59" in page  # the approval is one


def test_the_calendar_calls_a_theme_day_no_deadline_even_without_a_start(db, world):
    m = _theme_day(world["north"]["cycle"], starts=False)
    db.session.commit()
    set_committed_value(m, "cycle", world["north"]["cycle"])
    event = milestone_event(m, url="https://example.invalid/")
    assert event.summary == "Politisk temadag"
    assert event.busy  # a meeting blocks the time


def test_the_personal_feed_has_no_frist_for_a_theme_day(client, db, world):
    _theme_day(world["north"]["cycle"], starts=False)
    person = world["north"]["users"][Role.POLITICIAN]
    token = profile.new_calendar_token(person, person, now=datetime.now(UTC))
    db.session.commit()
    cal = Calendar.from_ical(client.get(f"/kalender/{token}.ics").data)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert "Politisk temadag" in summaries
    assert "Frist: Politisk temadag" not in summaries
