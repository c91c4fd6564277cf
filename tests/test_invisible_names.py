"""Issue 9, item 5: a name or title made only of invisible characters, only (no-break) spaces, or
carrying a bidi control (an override, an isolate, a right-to-left mark) is refused with a Danish
message at its field, in every form that names something: organisations, cycles, milestones,
questionnaires, sections, questions, target groups and people."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories
from webapp.models import Milestone, Organisation, Role, Section, TargetGroup, User

NAMES = {
    "zero-width space": "\u200b",
    "zero-width and joiners": "\u200b\u2060\ufeff\u200d",
    "no-break spaces": "\u00a0\u00a0",
    "unassigned ignorable": "\u2065",
    "right-to-left mark": "Aalborg\u200f",
    "arabic letter mark": "\u061cAalborg",
    "right-to-left override": "\u202eAalborg\u202c",
}


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


def _forms(world):
    """(url, data, the name field) of every form that names something; `{}` is the name."""
    from webapp.extensions import db

    north = world["north"]
    cycle = north["cycle"]
    questionnaire, _groups = factories.capacity_questionnaire(cycle)
    db.session.commit()
    section = db.session.scalar(select(Section).where(
        Section.questionnaire_id == questionnaire.id))
    group = db.session.scalar(select(TargetGroup).where(
        TargetGroup.region_id == north["region"].id))
    org: Organisation = north["municipality"]
    milestone = db.session.scalar(select(Milestone).where(Milestone.cycle_id == cycle.id)
                                  .order_by(Milestone.id))
    q_milestone = questionnaire.milestone_id
    return {
        "organisation, new": ("/admin/organisationer/ny",
                              {"kind": "municipality"}, "name"),
        "organisation, edit": (f"/admin/organisationer/{org.id}",
                               {"kind": "municipality", "version": org.version_id}, "name"),
        "person, invite": ("/admin/personer/inviter", {
            "email": "ny@kommune.example", "organisation_id": org.id, "role": "respondent"},
            "name"),
        "cycle, new": ("/cykler/ny", {"first_year": 2021, "last_year": 2021}, "title"),
        "cycle, edit": (f"/cykler/{cycle.id}/rediger", {
            "first_year": 2018, "last_year": 2018, "version": cycle.version_id}, "title"),
        "cycle, clone": (f"/cykler/{cycle.id}/klon", {"first_year": 2021, "last_year": 2021},
                         "title"),
        "milestone, new": (f"/cykler/{cycle.id}/milepaele/ny",
                           {"kind": "other", "ends_date": "2017-03-01"}, "title"),
        "milestone, edit": (f"/cykler/{cycle.id}/milepaele/{milestone.id}/rediger", {
            "kind": "other", "ends_date": "2017-03-01", "version": milestone.version_id},
            "title"),
        "questionnaire, new": (f"/cykler/{cycle.id}/skemaer/ny",
                               {"milestone_id": q_milestone}, "title"),
        "questionnaire, edit": (f"/skemaer/{questionnaire.id}/rediger", {
            "milestone_id": q_milestone, "version": questionnaire.version_id}, "title"),
        "section, new": (f"/skemaer/{questionnaire.id}/afsnit/ny", {}, "title"),
        "section, edit": (f"/skemaer/{questionnaire.id}/afsnit/{section.id}",
                          {"version": section.version_id}, "title"),
        "question, new": (f"/skemaer/{questionnaire.id}/afsnit/{section.id}/spoergsmaal/ny",
                          {"type": "short_text"}, "label"),
        "target group, new": ("/admin/maalgrupper", {"audience": "adults"}, "name"),
        "target group, edit": (f"/admin/maalgrupper/{group.id}",
                               {"version": group.version_id, "active": "y"}, "name"),
    }


FORMS = [
    "organisation, new", "organisation, edit", "person, invite", "cycle, new", "cycle, edit",
    "cycle, clone", "milestone, new", "milestone, edit", "questionnaire, new",
    "questionnaire, edit", "section, new", "section, edit", "question, new",
    "target group, new", "target group, edit",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", list(NAMES), ids=list(NAMES))
def test_an_invisible_or_direction_turning_name_is_refused_at_its_field(
        client, db, world, login_as, form, name):
    login_as(Role.SECRETARIAT)
    url, data, field = _forms(world)[form]
    response = client.post(url, data={**data, field: NAMES[name]})
    assert response.status_code == 422, (form, name)
    message = field_error(response.get_data(as_text=True), field)
    assert message.strip()
    if name not in ("no-break spaces",):  # only spaces: the field's own "Skriv …"
        assert "usynlige tegn" in message


def test_a_choice_line_of_only_invisible_characters_is_refused(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    url, data, _field = _forms(world)["question, new"]
    response = client.post(url, data={**data, "type": "single_choice", "label": "Tendens",
                                      "choices": "Stigende\n\u200b\u200b\nFaldende"})
    assert response.status_code == 422
    assert "Svarmulighed 2 består kun af usynlige tegn" in field_error(
        response.get_data(as_text=True), "choices")


def test_an_optional_field_of_only_no_break_spaces_stays_empty(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/admin/organisationer/ny", data={
        "kind": "user_organisation", "name": "Læsø Kommune", "council_name": "\u00a0 \u00a0"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Læsø Kommune"))
    assert org is not None and not org.council_name


def test_a_person_named_with_a_right_to_left_mark_is_not_created(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    client.post("/admin/personer/inviter", data={
        "name": "Anne\u200f", "email": "anne@kommune.example", "role": "respondent",
        "organisation_id": world["north"]["municipality"].id})
    assert db.session.scalar(select(User).where(User.email == "anne@kommune.example")) is None
