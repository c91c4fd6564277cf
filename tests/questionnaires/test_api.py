"""The questionnaire part of the JSON API: list, status, responses (secretariat only)."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests import factories as f
from tests.questionnaires.test_results import answered, capacity, submit_rows  # noqa: F401
from tests.test_api import assert_json_error, aware, bearer, login, make_token
from webapp.models import DeadlineExtension, Role


@pytest.fixture
def q(answered):  # noqa: F811
    return answered["q"]


@pytest.fixture
def document(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def schema_for(document, path, status="200"):
    schema = document["paths"][path]["get"]["responses"][status]["content"][
        "application/json"]["schema"]
    return {**schema, "components": document["components"]}


def test_openapi_document_still_validates_and_lists_the_new_paths(document):
    validate(document)
    for path in ("/cycles/{cycle_id}/questionnaires", "/questionnaires/{questionnaire_id}/status",
                 "/questionnaires/{questionnaire_id}/responses"):
        assert path in document["paths"]
    assert "403" in document["paths"]["/questionnaires/{questionnaire_id}/responses"]["get"][
        "responses"]


def test_cycle_questionnaires(client, world, q, document):
    login(client, world["north"]["users"][Role.OBSERVER])
    response = client.get(f"/api/v1/cycles/{q.cycle_id}/questionnaires")
    assert response.status_code == 200
    body = response.get_json()
    OAS30Validator(schema_for(document, "/cycles/{cycle_id}/questionnaires")).validate(body)
    assert len(body) == 1
    item = body[0]
    assert item["id"] == q.id and item["title"] == "Kapacitet" and item["cloned_from_id"] is None
    assert aware(item["opens_at"]) == f.at(2017, 3, 1, 8, 0)
    assert aware(item["closes_at"]) == f.at(2017, 5, 1, 12, 0)
    # Another region's cycle is as unknown as a missing one.
    assert_json_error(client.get(f"/api/v1/cycles/{world['mid']['cycle'].id}/questionnaires"),
                      404)
    assert_json_error(client.get("/api/v1/cycles/999999/questionnaires"), 404)


def test_status_per_recipient(db, client, world, answered, q, document, clock):  # noqa: F811
    db.session.add(DeadlineExtension(questionnaire_id=q.id, organisation_id=answered["e"].id,
                                     until=f.at(2017, 5, 15, 12), created_at=clock.now()))
    db.session.commit()
    token = make_token(db, world["north"]["users"][Role.SECRETARIAT], clock.now())
    response = client.get(f"/api/v1/questionnaires/{q.id}/status", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    OAS30Validator(schema_for(document, "/questionnaires/{questionnaire_id}/status")).validate(
        body)
    assert body["questionnaire"]["id"] == q.id
    by_name = {r["organisation"]["name"]: r for r in body["recipients"]}
    # Danish order: Æ, Ø, Å after Z, and "Aa" is Å.
    assert list(by_name) == ["Brønderslev Kommune", "Hjørring Kommune", "Kommune north",
                             "Ærø Kommune", "Aalborg Kommune"]
    assert {k: v["status"] for k, v in by_name.items()} == {
        "Aalborg Kommune": "draft", "Brønderslev Kommune": "submitted",
        "Hjørring Kommune": "not_started", "Kommune north": "submitted",
        "Ærø Kommune": "reopened"}
    north = by_name["Kommune north"]
    assert north["organisation"]["id"] == answered["a"].id
    assert aware(north["submitted_at"]) == f.at(2017, 3, 10, 9, 0)
    assert north["submitted_by"] == "Anne Andersen"
    assert by_name["Ærø Kommune"]["submitted_by"] == "Dorte Dahl"  # the last submission
    assert by_name["Aalborg Kommune"]["submitted_at"] is None
    assert aware(by_name["Hjørring Kommune"]["extended_until"]) == f.at(2017, 5, 15, 12)


def test_responses_for_the_secretariat(db, client, world, answered, q, document,  # noqa: F811
                                       clock):
    token = make_token(db, world["north"]["users"][Role.SECRETARIAT], clock.now())
    response = client.get(f"/api/v1/questionnaires/{q.id}/responses", headers=bearer(token))
    assert response.status_code == 200
    body = response.get_json()
    OAS30Validator(schema_for(document, "/questionnaires/{questionnaire_id}/responses")
                   ).validate(body)
    # Only submitted answers, each organisation's latest; the draft-only one is absent.
    by_name = {r["organisation"]["name"]: r for r in body["responses"]}
    assert list(by_name) == ["Brønderslev Kommune", "Kommune north", "Ærø Kommune"]
    assert by_name["Ærø Kommune"]["answers"]["pladser"] == 50  # not the reopened draft's 7777
    g = str(answered["groups"]["Udviklingshæmning"].id)
    north = by_name["Kommune north"]["answers"]
    assert north["pladser"] == 2643 and north["budget"] == 1.8 and north["nye_tilbud"] is True
    assert north["voksne"][g] == {"doegn": 12, "behov": 14, "sammenhaeng": 2,
                                  "bemaerkning": "Mangler 2 pladser"}
    keys = [question["key"] for question in body["questions"]]
    assert keys[:3] == ["kontaktperson", "pladser", "budget"] and "voksne" in keys
    grid = next(question for question in body["questions"] if question["key"] == "voksne")
    assert [c["key"] for c in grid["columns"]] == ["doegn", "behov", "sammenhaeng", "bemaerkning"]
    assert int(g) in {t["id"] for t in body["target_groups"]}


def test_later_submission_wins(db, client, world, answered, q, clock):  # noqa: F811
    from sqlalchemy import select

    from webapp.models import QuestionnaireResponse

    stored = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id,
            QuestionnaireResponse.organisation_id == answered["d"].id))
    submit_rows(q, answered["d"], {"pladser": 60}, f.at(2017, 3, 20, 9), by="Dorte Dahl",
                response=stored)
    db.session.commit()
    login(client, world["north"]["users"][Role.SECRETARIAT])
    body = client.get(f"/api/v1/questionnaires/{q.id}/responses").get_json()
    by_name = {r["organisation"]["name"]: r for r in body["responses"]}
    assert by_name["Ærø Kommune"]["answers"] == {"pladser": 60}
    assert aware(by_name["Ærø Kommune"]["submitted_at"]) == f.at(2017, 3, 20, 9)


@pytest.mark.parametrize("role", [Role.RESPONDENT, Role.STEERING_MEMBER, Role.USER_ORG_REP,
                                  Role.POLITICIAN, Role.OBSERVER])
def test_responses_are_403_for_other_roles(db, client, world, q, clock, role):
    token = make_token(db, world["north"]["users"][role], clock.now())
    body = assert_json_error(client.get(f"/api/v1/questionnaires/{q.id}/responses",
                                        headers=bearer(token)), 403)
    assert "sekretariatet" in body["error"]
    # The status board is the secretariat's, as on the status page; the list is everyone's.
    assert_json_error(client.get(f"/api/v1/questionnaires/{q.id}/status",
                                 headers=bearer(token)), 403)
    assert client.get(f"/api/v1/cycles/{q.cycle_id}/questionnaires",
                      headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("path", ["status", "responses"])
def test_other_region_and_unknown_questionnaire_are_404(db, client, world, q, clock, path):
    # Another region's secretariat: 404, never 403, and the same body as an unknown id.
    token = make_token(db, world["mid"]["users"][Role.SECRETARIAT], clock.now())
    other = client.get(f"/api/v1/questionnaires/{q.id}/{path}", headers=bearer(token))
    unknown = client.get(f"/api/v1/questionnaires/999999/{path}", headers=bearer(token))
    assert_json_error(other, 404)
    assert_json_error(unknown, 404)
    assert other.get_json() == unknown.get_json()
    # A respondent of another region gets 404 too (not 403) for the secretariat-only path.
    token = make_token(db, world["mid"]["users"][Role.RESPONDENT], clock.now())
    assert_json_error(client.get(f"/api/v1/questionnaires/{q.id}/{path}",
                                 headers=bearer(token)), 404)


def test_no_auth_is_401(client, q):
    for path in (f"/api/v1/cycles/{q.cycle_id}/questionnaires",
                 f"/api/v1/questionnaires/{q.id}/status",
                 f"/api/v1/questionnaires/{q.id}/responses"):
        assert_json_error(client.get(path), 401)


def test_status_and_responses_query_counts_do_not_grow(db, client, world, q, answered,  # noqa: F811
                                                       queries, clock):
    login(client, world["north"]["users"][Role.SECRETARIAT])
    paths = [f"/api/v1/questionnaires/{q.id}/status",
             f"/api/v1/questionnaires/{q.id}/responses",
             f"/api/v1/cycles/{q.cycle_id}/questionnaires"]
    before = {}
    for path in paths:
        client.get(path)
        with queries() as counted:
            assert client.get(path).status_code == 200
        before[path] = counted.count
    from tests.questionnaires.test_results import recipient

    for n in range(30):
        org = f.organisation(world["north"]["region"], name=f"API-kommune {n}")
        recipient(q, org)
        submit_rows(q, org, {"pladser": n}, clock.now())
    db.session.commit()
    for path in paths:
        with queries() as counted:
            assert client.get(path).status_code == 200
        assert counted.count == before[path], path
