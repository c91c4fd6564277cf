"""Hostile input never gives a 500: ids and page numbers beyond what the database holds,
unknown choices, dates far outside any agreement, duplicate names, control characters.

The property tests at the end throw arbitrary text and numbers at every form and every route
with an id, as the secretariat and as a respondent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from webapp.models import Cycle, MilestoneKind, Role, User
from webapp.workflows.reminders import create_default_rules

HUGE = "99999999999999999999"
BIGINT = "9223372036854775807"


def html(response):
    return response.get_data(as_text=True)


def field_error(page, field_id):
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


def group_error(page, field_id):
    """The message at a group of checkboxes, which the summary links to its first box."""
    assert f'href="#{field_id}-0"' in page, f"the summary does not link to {field_id!r}"
    match = re.search(r'<p class="error-message">(.*?)</p>\s*<ul class="checkbox-list">\s*'
                      rf'<li><input[^>]*id="{field_id}-0"', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


# -- 1. ids and page numbers beyond the database's range -------------------------------------

@pytest.mark.parametrize("path", [
    f"/cykler/{HUGE}", f"/api/v1/cycles/{HUGE}", f"/cykler/{BIGINT}", f"/cykler/{2**31}",
])
def test_an_id_beyond_the_range_is_not_found(client, login_as, path):
    login_as(Role.SECRETARIAT)
    assert client.get(path).status_code == 404


def test_an_id_beyond_the_range_in_the_public_feed_is_not_found(client, world):
    assert client.get(f"/kalender/cyklus/{HUGE}.ics").status_code == 404


@pytest.mark.parametrize("path", ["/admin/personer", "/admin/log", "/admin/e-mails"])
@pytest.mark.parametrize("side", [BIGINT, HUGE, "-5", "abc", "0"])
def test_a_page_number_beyond_the_range_is_clamped(client, login_as, path, side):
    login_as(Role.SECRETARIAT)
    assert client.get(f"{path}?side={side}").status_code == 200


# -- 2. a choice that was not offered --------------------------------------------------------

@pytest.mark.parametrize("roles", [[""], ["king"], ["respondent", ""]])
def test_an_unknown_role_is_a_message_at_the_field(client, db, world, login_as, roles):
    login_as(Role.SECRETARIAT)
    person = world["north"]["users"][Role.RESPONDENT]
    response = client.post(f"/admin/personer/{person.id}", data={"roles": roles, "active": "y"})
    assert response.status_code == 422
    assert "Vælg kun blandt de viste muligheder." in group_error(html(response), "roles")


def test_an_unknown_audience_of_a_milestone_is_a_message_at_the_field(client, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post(f"/cykler/{world['north']['cycle'].id}/milepaele/ny", data={
        "kind": "other", "title": "X", "ends_date": "2017-03-01", "audience": [""]})
    assert response.status_code == 422
    assert "Vælg kun blandt de viste muligheder." in group_error(html(response), "audience")


# -- 5. control characters and invisible text ------------------------------------------------

def test_control_characters_are_stripped_from_every_text_field(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/cykler/ny", data={
        "title": "Ramme\x00aftale\x07 2021\n", "first_year": "2021", "last_year": "2021",
        "description": "Linje 1\r\nLinje\x00 2\tslut\x1b"})
    assert response.status_code == 302
    db.session.expire_all()
    cycle = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2021"))
    assert cycle is not None
    assert cycle.description == "Linje 1\r\nLinje 2\tslut"


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u202eLKT\u202c", "\u2066x\u2069", "\u3164"])
def test_invisible_or_direction_turning_text_is_refused_at_the_field(client, world, login_as,
                                                                     title):
    login_as(Role.SECRETARIAT)
    response = client.post("/admin/organisationer/ny", data={"kind": "municipality",
                                                             "name": title})
    assert response.status_code == 422
    assert "usynlige tegn" in field_error(html(response), "name")


def test_nul_in_an_invitation_name_is_stripped(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/admin/personer/inviter", data={
        "name": "Ny\x00 Person", "email": "ny.person@kommune.example",
        "organisation_id": str(world["north"]["municipality"].id), "role": "respondent"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny.person@kommune.example"))
    assert user.name == "Ny Person"


def test_a_text_answer_loses_control_characters_and_refuses_invisible_text():
    from webapp.workflows.questionnaires.fields import Invalid, LongTextField, ShortTextField

    assert ShortTextField().parse("Anne\x00 Andersen\n") == "Anne Andersen"
    assert LongTextField().parse("a\x00\nb\tc") == "a\nb\tc"
    assert ShortTextField().parse("\x00\x01") is None
    with pytest.raises(Invalid):
        ShortTextField().parse("\u200b\u200d")
    with pytest.raises(Invalid):
        LongTextField().parse("abc\u202edef")


# -- 4. a title the database holds once ------------------------------------------------------

def test_renaming_a_questionnaire_to_a_taken_title_is_a_message_at_the_field(client, db, world,
                                                                            login_as):
    from tests import factories

    cycle = world["north"]["cycle"]
    factories.capacity_questionnaire(cycle, title="Kapacitet")
    second, _groups = factories.capacity_questionnaire(cycle, title="Kapacitet 2")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    response = client.post(f"/skemaer/{second.id}/rediger", data={
        "title": "Kapacitet", "intro": "Ny indledning",
        "milestone_id": str(second.milestone_id), "version": str(second.version_id)})
    assert response.status_code == 422
    assert "allerede et skema med denne titel" in field_error(html(response), "title")
    assert "Ny indledning" in html(response)


# -- 3. dates far outside any agreement ------------------------------------------------------

EXTREMES = [
    (None, datetime(9999, 12, 31, 23, 30, tzinfo=UTC)),
    (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(1, 1, 2, 0, 0, tzinfo=UTC)),
    (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
]


@pytest.mark.parametrize("starts,ends", EXTREMES)
def test_a_stored_extreme_date_never_breaks_a_page(client, db, world, login_as, starts, ends):
    from tests import factories

    cycle = world["north"]["cycle"]
    milestone = factories.milestone(cycle, ends, title="Langt ude", starts_at=starts,
                                    kind=MilestoneKind.QUESTIONNAIRE)
    rules = create_default_rules(milestone, factories.at(2017, 1, 10))
    db.session.commit()
    for role in (Role.SECRETARIAT, Role.RESPONDENT):
        login_as(role)
        for path in (f"/cykler/{cycle.id}", "/oversigt", "/cykler/", f"/api/v1/cycles/{cycle.id}",
                     f"/kalender/cyklus/{cycle.id}.ics"):
            assert client.get(path).status_code == 200, (role, path)
        if role is Role.SECRETARIAT:
            base = f"/cykler/{cycle.id}/milepaele/{milestone.id}"
            previews = [f"{base}/paamindelser/{r.id}/forhaandsvisning" for r in rules]
            for path in (f"/cykler/{cycle.id}/historik", f"{base}/rediger", f"{base}/flyt",
                         f"{base}/paamindelser", f"/cykler/{cycle.id}/klon", *previews):
                assert client.get(path).status_code == 200, (role, path)
        client.post("/logout")


@pytest.mark.parametrize("payload,field", [
    ({"starts_date": "0001-01-01", "ends_date": "2017-03-01"}, "starts_date"),
    ({"ends_date": "9999-12-31"}, "ends_date"),
    ({"ends_date": "1999-12-31"}, "ends_date"),
    ({"ends_date": "2101-01-01"}, "ends_date"),
])
def test_a_date_outside_the_window_is_a_message_at_the_field(client, world, login_as, payload,
                                                             field):
    login_as(Role.SECRETARIAT)
    data = {"kind": "other", "title": "X", **payload}
    response = client.post(f"/cykler/{world['north']['cycle'].id}/milepaele/ny", data=data)
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), field)


def test_moving_or_cloning_beyond_the_window_is_a_message_at_the_field(client, db, world,
                                                                       login_as):
    from tests import factories

    cycle = world["north"]["cycle"]
    late = factories.milestone(cycle, datetime(2100, 6, 1, 10, tzinfo=UTC), title="Sent")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    response = client.post(f"/cykler/{cycle.id}/milepaele/{late.id}/flyt",
                           data={"days": "730", "version": str(late.version_id)})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "days")
    response = client.post(f"/cykler/{cycle.id}/klon", data={
        "title": "Kopi", "first_year": "2028", "last_year": "2028", "shift_years": "10"})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "shift_years")


@pytest.mark.parametrize("until", ["0001-01-01", "9999-12-31"])
def test_an_extension_outside_the_window_is_a_message_at_the_field(client, db, world, login_as,
                                                                   until):
    from tests import factories

    questionnaire, _groups = factories.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    response = client.post(f"/skemaer/{questionnaire.id}/frist/{org.id}",
                           data={"until_date": until, "until_time": "12:00", "reason": "x"})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "until_date")
