"""Issue 9, item 12: a cloned cycle moves every milestone by whole years, which lands some on a
Saturday, a Sunday or a public holiday. The clone says so and offers to move them, one checkbox
a milestone, and the working day before it (never later: the approvals' 15 October
is set by law); the time of day is kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from webapp.formatting import to_local
from webapp.models import AuditEvent, Cycle, Milestone, MilestoneKind, Role
from webapp.workdays import day_off, easter_sunday, holiday, working_day_before


def html(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("year", "easter"), [
    (2017, date(2017, 4, 16)), (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)),
    (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)),
])
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_days_off_and_the_working_day_before():
    assert day_off(date(2019, 11, 16)) == "lørdag"
    assert day_off(date(2019, 11, 17)) == "søndag"
    assert day_off(date(2019, 11, 15)) is None
    assert holiday(date(2018, 5, 10)) == "Kristi himmelfartsdag"
    assert holiday(date(2023, 5, 5)) == "Store bededag"
    assert holiday(date(2024, 4, 26)) is None  # abolished from 2024
    assert holiday(date(2019, 6, 5)) is None  # Grundlovsdag is a working day by law
    assert working_day_before(date(2019, 11, 16)) == date(2019, 11, 15)  # Saturday → Friday
    assert working_day_before(date(2019, 11, 17)) == date(2019, 11, 15)  # Sunday → Friday
    assert working_day_before(date(2018, 5, 10)) == date(2018, 5, 9)
    # Påskelørdag: Skærtorsdag and Langfredag are days off too.
    assert working_day_before(date(2019, 4, 20)) == date(2019, 4, 17)
    assert working_day_before(date(2019, 11, 14)) == date(2019, 11, 14)


@pytest.fixture
def source(db, world):
    """The world's cycle (2018) with a theme day on Friday 28.04.2017 (a Saturday in 2018, and
    the Friday before is Store bededag), a questionnaire closing Wednesday 10.05.2017 (Kristi
    himmelfartsdag in 2018) and comments due Friday 17.11.2017 (a Saturday in 2018)."""
    cycle = world["north"]["cycle"]
    factories.milestone(cycle, factories.at(2017, 4, 28, 15, 0), kind=MilestoneKind.THEME_DAY,
                        title="Politisk temadag", starts_at=factories.at(2017, 4, 28, 9, 30))
    factories.milestone(cycle, factories.at(2017, 5, 10, 12, 0),
                        kind=MilestoneKind.QUESTIONNAIRE, title="Kapacitetsskema",
                        starts_at=factories.at(2017, 3, 6, 8, 0))
    factories.milestone(cycle, factories.at(2017, 11, 17, 12, 0), title="Bemærkninger")
    db.session.commit()
    return cycle


def _clone(client, source):
    return client.post(f"/cykler/{source.id}/klon", data={
        "title": "Rammeaftale 2019", "first_year": "2019", "last_year": "2019"})


def _milestone(db, cycle_id, title):
    db.session.expire_all()
    return db.session.scalar(select(Milestone).where(Milestone.cycle_id == cycle_id,
                                                     Milestone.title == title))


def test_a_clone_with_days_off_goes_to_a_review_that_offers_the_working_day(
        client, db, source, login_as):
    login_as(Role.SECRETARIAT)
    response = _clone(client, source)
    clone = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2019"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cykler/{clone.id}/hverdage")

    page = html(client.get(f"/cykler/{clone.id}/hverdage"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "3 milepæle falder på en weekend eller en helligdag." in text
    assert "Start: lørdag 28.04.2018 → flyt til torsdag 26.04.2018" in text
    assert "Slut: lørdag 28.04.2018 → flyt til torsdag 26.04.2018" in text
    assert "Frist: lørdag 17.11.2018 → flyt til fredag 16.11.2018" in text
    assert ("Slut: torsdag 10.05.2018 (Kristi himmelfartsdag) → flyt til onsdag 09.05.2018"
            in text)
    assert "Workshop" not in text  # Tuesday 06.02.2018
    # Offered, and chosen unless the secretariat unticks it.
    assert len(re.findall(r'<input [^>]*checked[^>]*name="milestones"', page)) == 3

    theme = _milestone(db, clone.id, "Politisk temadag")
    comments = _milestone(db, clone.id, "Bemærkninger")
    response = client.post(f"/cykler/{clone.id}/hverdage",
                           data={"milestones": [theme.id, comments.id]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cykler/{clone.id}")
    theme = _milestone(db, clone.id, "Politisk temadag")
    assert to_local(theme.starts_at).replace(tzinfo=None).isoformat() == "2018-04-26T09:30:00"
    assert to_local(theme.ends_at).replace(tzinfo=None).isoformat() == "2018-04-26T15:00:00"
    comments = _milestone(db, clone.id, "Bemærkninger")
    assert to_local(comments.ends_at).replace(tzinfo=None).isoformat() == "2018-11-16T12:00:00"
    # Not ticked: kept where the clone put it.
    questionnaire = _milestone(db, clone.id, "Kapacitetsskema")
    assert to_local(questionnaire.ends_at).date() == date(2018, 5, 10)
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "milestone.moved", AuditEvent.object_id == theme.id))

    # What is left is still offered; a second post of the first page moves nothing more.
    page = html(client.get(f"/cykler/{clone.id}/hverdage"))
    assert "Politisk temadag" not in page and "Kapacitetsskema" in page
    response = client.post(f"/cykler/{clone.id}/hverdage", data={"milestones": [theme.id]})
    assert response.status_code == 422  # no longer a choice

    # The draft's page says what is left, and links to the review.
    detail = html(client.get(f"/cykler/{clone.id}"))
    assert "1 milepæl falder på en weekend eller en helligdag." in detail
    assert f'href="/cykler/{clone.id}/hverdage"' in detail


def test_an_open_cycle_is_not_nagged(client, db, source, login_as):
    # The approvals' 15.10.2017 is a Sunday, set by law; an open cycle's page says nothing.
    login_as(Role.SECRETARIAT)
    assert "falder på en weekend" not in html(client.get(f"/cykler/{source.id}"))


def test_nothing_ticked_is_a_message_at_the_field(client, db, source, login_as):
    login_as(Role.SECRETARIAT)
    _clone(client, source)
    clone = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2019"))
    response = client.post(f"/cykler/{clone.id}/hverdage", data={})
    assert response.status_code == 422
    assert "Sæt flueben ved de milepæle, der skal flyttes." in html(response)


def test_a_clone_on_working_days_goes_straight_to_the_cycle(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    # The world's cycle alone: Workshop 06.02.2017 → Tuesday, Godkendelse 15.10.2017 → Monday.
    response = _clone(client, world["north"]["cycle"])
    clone = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2019"))
    assert response.headers["Location"].endswith(f"/cykler/{clone.id}")
    assert "Alle milepæle ligger på hverdage." in html(client.get(f"/cykler/{clone.id}/hverdage"))


def test_only_the_secretariat_reviews(client, db, source, login_as):
    login_as(Role.RESPONDENT)
    assert client.get(f"/cykler/{source.id}/hverdage").status_code == 403
