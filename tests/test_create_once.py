"""A create form is used once: the same page posted twice (a double click, a resent POST)
creates one thing, and the second post is sent to what the first created."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from tests import factories as f
from webapp.models import (
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    Question,
    Questionnaire,
    ReminderRule,
    Role,
    Section,
    TargetGroup,
    User,
)


def html(response):
    return response.get_data(as_text=True)


def token_on(page) -> str:
    match = re.search(r'name="once" type="hidden" value="([^"]+)"', html(page))
    assert match, "the create form carries no one-time token"
    return match[1]


def question_form(**fields: str) -> dict[str, str]:
    data = {"type": "short_text", "label": "", "help_text": "", "min": "", "max": "",
            "choices": "", "audience": ""}
    for row in range(6):
        data.update({f"columns-{row}-heading": "", f"columns-{row}-kind": "integer",
                     f"columns-{row}-min": "", f"columns-{row}-max": ""})
    data.update(fields)
    return data


@dataclass
class CreateForm:
    name: str
    url: str
    data: dict[str, Any]
    count: Any  # a select of how many of the created thing exist


@pytest.fixture
def forms(db, world) -> list[CreateForm]:
    north = world["north"]
    cycle = north["cycle"]
    q, _groups = f.capacity_questionnaire(cycle)
    later = f.cycle(north["region"], title="Rammeaftale 2019 north", first_year=2019)
    later_ms = f.milestone(later, f.at(2018, 5, 1, 12), kind=MilestoneKind.QUESTIONNAIRE,
                           title="Skema 2019", starts_at=f.at(2018, 3, 1, 8))
    db.session.commit()
    section = q.sections[0]
    return [
        CreateForm("cycle", "/cykler/ny",
                   {"title": "Rammeaftale 2021", "first_year": "2021", "last_year": "2021"},
                   select(func.count(Cycle.id)).where(Cycle.title == "Rammeaftale 2021")),
        CreateForm("cycle clone", f"/cykler/{cycle.id}/klon",
                   {"title": "Rammeaftale 2022", "first_year": "2022", "last_year": "2022"},
                   select(func.count(Cycle.id)).where(Cycle.title == "Rammeaftale 2022")),
        CreateForm("milestone", f"/cykler/{cycle.id}/milepaele/ny",
                   {"kind": "other", "title": "Ekstra møde", "ends_date": "2017-03-01"},
                   select(func.count(Milestone.id)).where(Milestone.title == "Ekstra møde")),
        CreateForm("organisation", "/admin/organisationer/ny",
                   {"kind": "municipality", "name": "Rebild Kommune",
                    "council_name": "Rebild Byråd", "active": "y"},
                   select(func.count(Organisation.id)).where(
                       Organisation.name == "Rebild Kommune")),
        CreateForm("invitation", "/admin/personer/inviter",
                   {"name": "Ny Person", "email": "ny.person@example.dk",
                    "organisation_id": str(north["municipality"].id), "role": "respondent"},
                   select(func.count(User.id)).where(User.email == "ny.person@example.dk")),
        CreateForm("questionnaire", f"/cykler/{cycle.id}/skemaer/ny",
                   {"title": "Kapacitet ekstra", "intro": "",
                    "milestone_id": str(q.milestone_id)},
                   select(func.count(Questionnaire.id)).where(
                       Questionnaire.title == "Kapacitet ekstra")),
        CreateForm("questionnaire clone", f"/cykler/{later.id}/skemaer/klon",
                   {"source_id": str(q.id), "milestone_id": str(later_ms.id),
                    "title": "Kapacitet 2019"},
                   select(func.count(Questionnaire.id)).where(
                       Questionnaire.title == "Kapacitet 2019")),
        CreateForm("section", f"/skemaer/{q.id}/afsnit/ny",
                   {"title": "Nyt afsnit", "description": ""},
                   select(func.count(Section.id)).where(Section.title == "Nyt afsnit")),
        CreateForm("question", f"/skemaer/{q.id}/afsnit/{section.id}/spoergsmaal/ny",
                   question_form(label="Et nyt spørgsmål"),
                   select(func.count(Question.id)).where(Question.label == "Et nyt spørgsmål")),
        CreateForm("target group", "/admin/maalgrupper",
                   {"name": "Ludomani", "audience": "adults"},
                   select(func.count(TargetGroup.id)).where(TargetGroup.name == "Ludomani")),
        CreateForm("reminder rule",
                   f"/cykler/{cycle.id}/milepaele/{q.milestone_id}/paamindelser/ny",
                   {"kind": "overdue", "offset_days": "3", "repeat_days": "2",
                    "send_at": "09:15"},
                   select(func.count(ReminderRule.id)).where(
                       ReminderRule.milestone_id == q.milestone_id,
                       ReminderRule.offset_days == 3, ReminderRule.repeat_days == 2)),
    ]


def test_every_create_form_posted_twice_creates_once(client, db, forms, login_as):
    login_as(Role.SECRETARIAT)
    for form in forms:
        data = {**form.data, "once": token_on(client.get(form.url))}
        first = client.post(form.url, data=data)
        assert first.status_code == 302, (form.name, html(first)[:2000])
        second = client.post(form.url, data=data)
        assert second.status_code == 302, form.name
        # The second post is sent where the first one's creation is shown, and told why.
        assert second.headers["Location"] == first.headers["Location"], form.name
        db.session.expire_all()
        assert db.session.scalar(form.count) == 1, form.name
        page = html(client.get(second.headers["Location"]))
        assert "Formularen er allerede sendt" in page, form.name


def test_a_refused_create_keeps_its_token_for_the_corrected_post(client, db, forms, login_as):
    login_as(Role.SECRETARIAT)
    cycle_form = forms[0]
    token = token_on(client.get(cycle_form.url))
    refused = client.post(cycle_form.url, data={**cycle_form.data, "last_year": "2025",
                                                "once": token})
    assert refused.status_code == 422 and token_on(refused) == token
    assert client.post(cycle_form.url, data={**cycle_form.data, "once": token}).status_code == 302
    from webapp.models import UsedFormToken  # here: the suite must load on code without it
    assert db.session.scalar(select(func.count(UsedFormToken.id))) == 1


def test_a_garbled_or_foreign_token_is_a_bad_request(client, db, forms, login_as):
    login_as(Role.SECRETARIAT)
    section_token = token_on(client.get(forms[7].url))
    for form in forms:
        for token in ("abc", "x" * 5000, section_token if form.name != "section" else "1.2"):
            result = client.post(form.url, data={**form.data, "once": token})
            assert result.status_code == 400, (form.name, token[:20])
        db.session.expire_all()
        assert db.session.scalar(form.count) == 0, form.name


@pytest.fixture
def tokens_required(app) -> Iterator[None]:
    app.config["CREATE_TOKEN_REQUIRED"] = True
    try:
        yield
    finally:
        app.config["CREATE_TOKEN_REQUIRED"] = False


def test_without_a_token_nothing_is_created_when_tokens_are_required(client, db, forms,
                                                                   login_as, tokens_required):
    login_as(Role.SECRETARIAT)
    for form in forms:
        assert client.post(form.url, data=form.data).status_code == 400, form.name
        db.session.expire_all()
        assert db.session.scalar(form.count) == 0, form.name
    # The page's own token still works.
    first = forms[0]
    assert client.post(first.url, data={**first.data,
                                        "once": token_on(client.get(first.url))}).status_code == 302


def test_edit_forms_carry_no_one_time_token(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    page = html(client.get(f"/cykler/{cycle.id}/rediger"))
    assert 'name="version"' in page and 'name="once"' not in page
