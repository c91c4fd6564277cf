"""Two tabs on the same record: the second save shows a conflict and overwrites nothing; and an
edit form posted without a readable version is a bad request (400), never "skip the check"."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.models import (
    Milestone,
    OrgKind,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    ReminderRule,
    Role,
    Section,
    TargetAudience,
    TargetGroup,
)
from webapp.permissions import SYSTEM
from webapp.workflows.questionnaires import builder as build


def html(response):
    return response.get_data(as_text=True)


def version_on(page):
    return re.search(r'name="version" type="hidden" value="(\d+)"', html(page))[1]


def question_form(**fields):
    data = {"type": "short_text", "label": "", "help_text": "", "min": "", "max": "",
            "choices": "", "audience": ""}
    for row in range(6):
        data.update({f"columns-{row}-heading": "", f"columns-{row}-kind": "integer",
                     f"columns-{row}-min": "", f"columns-{row}-max": ""})
    data.update(fields)
    return data


@pytest.fixture
def capacity(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    return q, groups


def assert_conflict(result, mine, stored):
    page = html(result)
    assert result.status_code in (409, 422)
    assert "Nogen har ændret dette" in page
    assert "Det, der nu er gemt" in page and stored in page
    assert mine in page  # the person's own input is kept


# -- two tabs ---------------------------------------------------------------------------------

def test_section_second_tab_conflicts(client, db, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    section = q.sections[0]
    url = f"/skemaer/{q.id}/afsnit/{section.id}"
    first, second = version_on(client.get(url)), version_on(client.get(url))
    assert client.post(url, data={"title": "Fra fane A", "description": "",
                                  "version": first}).status_code == 302
    result = client.post(url, data={"title": "Fra fane B", "description": "",
                                    "version": second})
    assert_conflict(result, 'value="Fra fane B"', "Fra fane A")
    db.session.expire_all()
    assert db.session.get(Section, section.id).title == "Fra fane A"
    # Saving again from the conflict page overwrites knowingly.
    again = client.post(url, data={"title": "Fra fane B", "description": "",
                                   "version": version_on(result)})
    assert again.status_code == 302


def test_question_second_tab_conflicts(client, db, capacity, login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    question = db.session.scalar(select(Question).where(
        Question.questionnaire_id == q.id, Question.type == "long_text"))
    url = f"/skemaer/{q.id}/spoergsmaal/{question.id}"
    first, second = version_on(client.get(url)), version_on(client.get(url))
    assert client.post(url, data=question_form(type="long_text", label="Spørgsmål fra A",
                                               version=first)).status_code == 302
    result = client.post(url, data=question_form(type="long_text", label="Spørgsmål fra B",
                                                 version=second))
    assert_conflict(result, "Spørgsmål fra B", "Spørgsmål fra A")
    db.session.expire_all()
    assert db.session.get(Question, question.id).label == "Spørgsmål fra A"


def test_target_group_second_tab_conflicts(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    group = build.create_target_group(SYSTEM, region_id=world["north"]["region"].id,
                                      audience=TargetAudience.ADULTS, name="Misbrug",
                                      now=f.at(2017, 1, 1, 12))
    db.session.commit()
    url = f"/admin/maalgrupper/{group.id}"
    first, second = version_on(client.get(url)), version_on(client.get(url))
    assert client.post(url, data={"name": "Misbrug (A)", "active": "y",
                                  "version": first}).status_code == 302
    result = client.post(url, data={"name": "Misbrug (B)", "version": second})
    assert_conflict(result, 'value="Misbrug (B)"', "Misbrug (A)")
    db.session.expire_all()
    stored = db.session.get(TargetGroup, group.id)
    assert stored.name == "Misbrug (A)" and stored.active is True


def test_removed_recipient_does_not_come_back_from_a_stale_tab(client, db, world, capacity,
                                                               login_as):
    q, _groups = capacity
    login_as(Role.SECRETARIAT)
    north = world["north"]
    extra = f.organisation(north["region"], OrgKind.MUNICIPALITY, "Aalborg Kommune")
    db.session.add(QuestionnaireRecipient(questionnaire_id=q.id, organisation_id=extra.id))
    db.session.commit()
    url = f"/skemaer/{q.id}/modtagere"
    first, second = version_on(client.get(url)), version_on(client.get(url))
    keep = str(north["municipality"].id)
    # Tab A removes Aalborg; tab B, still showing both, adds nothing and saves.
    assert client.post(url, data={"recipients": [keep], "version": first}).status_code == 302
    result = client.post(url, data={"recipients": [keep, str(extra.id)], "version": second})
    assert_conflict(result, 'checked id="recipients-', "Kommune north")
    db.session.expire_all()
    chosen = set(db.session.scalars(select(QuestionnaireRecipient.organisation_id).where(
        QuestionnaireRecipient.questionnaire_id == q.id)))
    assert chosen == {north["municipality"].id}


# -- a missing or garbled version is a bad request --------------------------------------------

GARBAGE = [pytest.param("abc", id="letters"), pytest.param("9" * 5000, id="5000-digits"),
           pytest.param("", id="empty"), pytest.param(None, id="missing"),
           pytest.param("-1", id="negative"), pytest.param("١٢", id="arabic-digits")]


def edit_forms(world, q, milestone):
    """(url, a valid posted form without its version) for every edit form."""
    cycle = world["north"]["cycle"]
    org = world["north"]["municipality"]
    section = q.sections[0]
    question = section.questions[0]
    group = build.create_target_group(SYSTEM, region_id=world["north"]["region"].id,
                                      audience=TargetAudience.ADULTS, name="Misbrug",
                                      now=f.at(2017, 1, 1, 12))
    rule = build_rule(milestone)
    return [
        (f"/cykler/{cycle.id}/rediger",
         {"title": "Ny titel", "first_year": "2018", "last_year": "2018"}),
        (f"/cykler/{cycle.id}/milepaele/{milestone.id}/rediger",
         {"kind": "questionnaire", "title": "Ny titel", "ends_date": "2017-05-01"}),
        (f"/cykler/{cycle.id}/milepaele/{milestone.id}/flyt", {"days": "1"}),
        (f"/admin/organisationer/{org.id}", {"kind": "municipality", "name": "Ny kommune"}),
        (f"/cykler/{cycle.id}/milepaele/{milestone.id}/paamindelser/{rule.id}/rediger",
         {"offset_days": "3", "send_at": "08:00"}),
        (f"/skemaer/{q.id}/rediger",
         {"title": "Ny titel", "intro": "", "milestone_id": str(q.milestone_id)}),
        (f"/skemaer/{q.id}/afsnit/{section.id}", {"title": "Ny overskrift"}),
        (f"/skemaer/{q.id}/spoergsmaal/{question.id}",
         question_form(type=question.type.value, label="Nyt spørgsmål")),
        (f"/admin/maalgrupper/{group.id}", {"name": "Nyt navn"}),
        (f"/skemaer/{q.id}/modtagere", {"recipients": [str(org.id)]}),
    ]


def build_rule(milestone):
    from webapp.models import RuleKind
    rule = ReminderRule(milestone_id=milestone.id, kind=RuleKind.BEFORE, offset_days=7,
                        send_at="08:00", paused=False, created_at=f.at(2017, 1, 1, 12))
    from webapp.extensions import db
    db.session.add(rule)
    db.session.flush()
    return rule


@pytest.mark.parametrize("garbage", GARBAGE)
def test_edit_forms_refuse_a_missing_or_garbled_version(client, db, world, capacity, login_as,
                                                        garbage):
    q, _groups = capacity
    milestone = db.session.get(Milestone, q.milestone_id)
    forms = edit_forms(world, q, milestone)
    db.session.commit()
    before = {
        "cycle": world["north"]["cycle"].version_id,
        "questionnaire": db.session.get(Questionnaire, q.id).version_id,
    }
    login_as(Role.SECRETARIAT)
    for url, data in forms:
        if garbage is not None:
            data = {**data, "version": garbage}
        result = client.post(url, data=data)
        assert result.status_code == 400, (url, result.status_code)
    db.session.expire_all()
    assert db.session.get(Questionnaire, q.id).version_id == before["questionnaire"]
    assert world["north"]["cycle"].version_id == before["cycle"]


@pytest.mark.parametrize("garbage", ["abc", "9" * 5000])
def test_answer_page_refuses_a_garbled_version(client, db, world, capacity, login_as, garbage):
    q, _groups = capacity
    login_as(Role.RESPONDENT)
    result = client.post(f"/skemaer/{q.id}/besvar", data={"action": "save",
                                                         "version": garbage})
    assert result.status_code == 400
