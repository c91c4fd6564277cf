"""The national data set for benchmarks (`flask seed-national`), at a small scale: every region
with its real municipality count, answers the questionnaire's parser accepts, a reminder log
the e-mail log can show, and the pages the benchmark drives answer."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.demo import national
from webapp.models import (
    Organisation,
    OrgKind,
    Question,
    QuestionnaireResponse,
    Region,
    ReminderDelivery,
    ResponseState,
)


def test_the_national_set_loads_and_its_pages_answer(app, db, client, monkeypatch):
    monkeypatch.setattr(national, "QUESTIONS", 20)
    monkeypatch.setattr(national, "SECTIONS", 1)
    monkeypatch.setattr(national, "YEARS", range(2017, 2019))
    monkeypatch.setattr(national, "REMINDER_LOG", 500)
    result = national.seed_national()

    municipalities = dict(db.session.execute(
        select(Region.code, func.count(Organisation.id)).join(Organisation)
        .where(Organisation.kind == OrgKind.MUNICIPALITY).group_by(Region.code)).all())
    assert municipalities == {"hovedstaden": 29, "sjaelland": 17, "syddanmark": 22,
                              "midtjylland": 19, "nordjylland": 11}
    assert result.cycles == 10 and result.deliveries == 500
    assert db.session.scalar(select(func.count(Question.id))) == 10 * 20
    assert db.session.scalar(select(func.count(ReminderDelivery.id))) == 500
    drafts = db.session.scalar(select(func.count(QuestionnaireResponse.id)).where(
        QuestionnaireResponse.state == ResponseState.DRAFT))
    assert drafts and drafts < result.responses

    response = client.post("/login", data={"email": "sekretariat@hovedstaden.example",
                                           "password": national.PASSWORD})
    assert response.status_code == 302
    questionnaire = db.session.scalar(
        select(QuestionnaireResponse.questionnaire_id)
        .join(Organisation, Organisation.id == QuestionnaireResponse.organisation_id)
        .join(Region, Region.id == Organisation.region_id)
        .where(Region.code == "hovedstaden", QuestionnaireResponse.state == ResponseState.DRAFT))
    for path in ("/oversigt", f"/skemaer/{questionnaire}/status",
                 f"/skemaer/{questionnaire}/resultater", "/admin/e-mails", "/admin/log"):
        assert client.get(path).status_code == 200, path


def test_the_national_set_wants_an_empty_database(app, db, monkeypatch):
    db.session.add(Region(code="x", name="X"))
    db.session.flush()
    try:
        national.seed_national()
    except ValueError as error:
        assert "tom database" in str(error)
    else:
        raise AssertionError("seed_national wrote into a database that held a region")
