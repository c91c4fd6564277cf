"""The read-only JSON API: session and bearer auth, region scoping, errors, OpenAPI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests import factories
from webapp.models import Role, User
from webapp.workflows.accounts import create_api_token


def login(client, person):
    response = client.post("/login", data={"email": person.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    return person


def make_token(db, person, now):
    """What the CLI does: load the person with their organisation, create, commit."""
    user = db.session.scalar(select(User).where(User.id == person.id)
                             .options(joinedload(User.organisation)))
    value = create_api_token(user, now=now)
    db.session.commit()
    return value


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def assert_json_error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "status"}, body
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    return body


def aware(value):
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value!r} has no time zone"
    assert parsed.utcoffset() == timedelta(0), f"{value!r} is not UTC as the API promises"
    return parsed


@pytest.fixture
def north(world):
    return world["north"]


@pytest.fixture
def person(north):
    return north["users"][Role.RESPONDENT]


@pytest.fixture
def token(db, person, clock):
    return make_token(db, person, clock.now())


@pytest.fixture
def session_client(client, person):
    login(client, person)
    return client


# --- Session auth ------------------------------------------------------------------------------


def test_regions_shows_only_own_region(session_client, north):
    response = session_client.get("/api/v1/regions")
    assert response.status_code == 200
    region = north["region"]
    assert response.get_json() == [{"id": region.id, "code": region.code, "name": region.name}]


def test_cycles_shows_only_own_regions_cycles(db, session_client, world, north):
    extra = factories.cycle(north["region"], title="Rammeaftale 2020", first_year=2020)
    factories.cycle(world["mid"]["region"], title="Midtens ekstra", first_year=2020)
    db.session.commit()
    response = session_client.get("/api/v1/cycles")
    assert response.status_code == 200
    body = response.get_json()
    assert [c["id"] for c in body] == [north["cycle"].id, extra.id]
    assert {c["region_id"] for c in body} == {north["region"].id}
    assert body[0] == {"id": north["cycle"].id, "region_id": north["region"].id,
                       "title": "Rammeaftale 2018 north", "first_year": 2018,
                       "last_year": 2018, "state": "open"}


def test_cycle_detail_with_milestones_and_iso_times(session_client, north):
    cycle = north["cycle"]
    response = session_client.get(f"/api/v1/cycles/{cycle.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == cycle.id
    assert body["title"] == "Rammeaftale 2018 north"
    assert [m["title"] for m in body["milestones"]] == ["Workshop", "Godkendelse"]
    workshop, approval = body["milestones"]
    assert aware(workshop["starts_at"]) == factories.at(2017, 2, 6, 9, 0)
    assert aware(workshop["ends_at"]) == factories.at(2017, 2, 6, 15, 30)
    assert approval["starts_at"] is None
    assert aware(approval["ends_at"]) == datetime(2017, 10, 15, 21, 59, tzinfo=UTC)


# --- Bearer tokens -----------------------------------------------------------------------------


def test_bearer_token_works_without_session(client, token, north):
    assert token.startswith("ah_")
    response = client.get("/api/v1/cycles", headers=bearer(token))
    assert response.status_code == 200
    assert [c["id"] for c in response.get_json()] == [north["cycle"].id]
    response = client.get("/api/v1/regions", headers=bearer(token))
    assert response.get_json()[0]["id"] == north["region"].id


def test_token_of_another_region_sees_that_region(db, client, world, clock):
    mid_person = world["mid"]["users"][Role.OBSERVER]
    value = make_token(db, mid_person, clock.now())
    response = client.get("/api/v1/cycles", headers=bearer(value))
    assert [c["id"] for c in response.get_json()] == [world["mid"]["cycle"].id]


def test_cli_prints_a_working_token(app, db, client, person, north):
    result = app.test_cli_runner().invoke(args=["api-token", person.email.upper()])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("ah_")
    assert len(token) > 30
    response = client.get(f"/api/v1/cycles/{north['cycle'].id}", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["id"] == north["cycle"].id


def test_cli_refuses_unknown_or_inactive_person(app, db, world):
    result = app.test_cli_runner().invoke(args=["api-token", "ingen@test.example"])
    assert result.exit_code != 0
    assert "Ingen aktiv person" in result.output
    gone = factories.user(world["north"]["municipality"], active=False)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["api-token", gone.email])
    assert result.exit_code != 0
    assert "Ingen aktiv person" in result.output


def test_bad_token_is_401_with_challenge(client, token):
    response = client.get("/api/v1/cycles", headers=bearer("ah_" + "x" * 43))
    assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic x", "Bearer", "Bearer   ", "Token abc", "ah_abc"])
def test_malformed_authorization_header_is_401(client, token, header):
    response = client.get("/api/v1/cycles", headers={"Authorization": header})
    assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_auth_is_401_json(client, world):
    cycle_id = world["north"]["cycle"].id
    for path in ("/api/v1/regions", "/api/v1/cycles", f"/api/v1/cycles/{cycle_id}"):
        response = client.get(path)
        assert_json_error(response, 401)
        assert "WWW-Authenticate" in response.headers
        assert "Location" not in response.headers, "an API must not redirect to the login page"


def test_token_of_deactivated_person_stops_working(db, client, person, token):
    assert client.get("/api/v1/cycles", headers=bearer(token)).status_code == 200
    db.session.expire_all()
    db.session.merge(person).active = False
    db.session.commit()
    assert_json_error(client.get("/api/v1/cycles", headers=bearer(token)), 401)


def test_bad_token_is_refused_even_with_a_session(session_client):
    response = session_client.get("/api/v1/cycles", headers=bearer("ah_nope"))
    assert_json_error(response, 401)


# --- Scoping and errors ------------------------------------------------------------------------


def test_other_regions_cycle_and_unknown_id_are_identical_404(session_client, world):
    other = session_client.get(f"/api/v1/cycles/{world['mid']['cycle'].id}")
    unknown = session_client.get("/api/v1/cycles/999999")
    assert_json_error(other, 404)
    assert_json_error(unknown, 404)
    assert other.get_json() == unknown.get_json(), "another region's cycle must look unknown"


def test_other_regions_cycle_is_404_by_token_too(client, token, world):
    assert_json_error(client.get(f"/api/v1/cycles/{world['mid']['cycle'].id}",
                                 headers=bearer(token)), 404)


def test_post_is_405(session_client, token, client, north):
    assert session_client.post("/api/v1/cycles", json={"title": "x"}).status_code == 405
    assert client.post("/api/v1/cycles", headers=bearer(token)).status_code == 405
    response = session_client.delete(f"/api/v1/cycles/{north['cycle'].id}")
    assert response.status_code == 405


def test_method_not_allowed_answers_json(app, session_client):
    response = session_client.post("/api/v1/cycles")
    assert_json_error(response, 405)
    app.config["WTF_CSRF_ENABLED"] = True
    try:  # with CSRF on (as in production) it is still a JSON 405, not an HTML form error
        assert_json_error(session_client.post("/api/v1/cycles"), 405)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- OpenAPI -----------------------------------------------------------------------------------


@pytest.fixture
def document(client, world):
    response = client.get("/api/v1/openapi.json")  # public: no login needed
    assert response.status_code == 200
    return response.get_json()


def test_openapi_document_is_valid(document):
    assert document["openapi"].startswith("3.")
    validate(document)


def paths_with_ids(document, cycle_id):
    base = document["servers"][0]["url"].rstrip("/")
    for path, item in document["paths"].items():
        if any(k in path for k in ("{questionnaire_id}", "{consultation_id}",
                                   "{workshop_id}", "{board_id}")):
            continue  # covered by tests/questionnaires/, tests/consultations/, tests/workshops/,
            # tests/boards/
        for method in item:
            yield method, path, base + path.replace("{cycle_id}", str(cycle_id))


def response_schema(document, path, method, status="200"):
    schema = document["paths"][path][method]["responses"][status]["content"][
        "application/json"]["schema"]
    # Let the validator resolve "#/components/..." against the whole document.
    return {**schema, "components": document["components"]}


@pytest.mark.parametrize("auth", ["session", "bearer"])
def test_every_documented_path_answers_and_matches_its_schema(
        app, document, world, person, token, auth):
    caller = app.test_client()
    headers = {}
    if auth == "session":
        login(caller, person)
    else:
        headers = bearer(token)
    seen = 0
    for method, path, url in paths_with_ids(document, world["north"]["cycle"].id):
        response = caller.open(url, method=method.upper(), headers=headers)
        assert response.status_code == 200, f"{method.upper()} {url}: {response.status_code}"
        OAS30Validator(response_schema(document, path, method)).validate(response.get_json())
        seen += 1
    # /cycles/{cycle_id}/approvals answers without a round too; the cycle's workshops; its
    # prioritisation boards; /cycles/{cycle_id}/focus-areas without focus areas
    assert seen == 9


def test_documented_error_shape_matches_real_errors(client, document, world, token):
    schema = {**document["components"]["schemas"]["Error"],
              "components": document["components"]}
    OAS30Validator(schema).validate(client.get("/api/v1/cycles").get_json())
    OAS30Validator(schema).validate(
        client.get("/api/v1/cycles/999999", headers=bearer(token)).get_json())
