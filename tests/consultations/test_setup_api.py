"""The consultation part of the JSON API: the cycle's consultations and one consultation, by
the same queries and rules as the pages."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate

from tests.consultations.test_setup_pages import _opened
from tests.test_api import assert_json_error, login
from webapp.models import Role


@pytest.fixture
def document(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def schema_for(document, path):
    schema = document["paths"][path]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]
    return {**schema, "components": document["components"]}


def test_the_document_validates_and_lists_the_consultation_paths(document):
    validate(document)
    assert "/cycles/{cycle_id}/consultations" in document["paths"]
    assert "/consultations/{consultation_id}" in document["paths"]


def test_the_secretariat_reads_the_list_and_each_partys_state(app, client, world, document):
    c = _opened(app, world)
    login(client, world["north"]["users"][Role.SECRETARIAT])
    body = client.get(f"/api/v1/cycles/{c.cycle_id}/consultations").get_json()
    OAS30Validator(schema_for(document, "/cycles/{cycle_id}/consultations")).validate(body)
    assert [(b["id"], b["answered"], b["invited"], b["days"]) for b in body] == [
        (c.id, 0, 2, 59)]
    body = client.get(f"/api/v1/consultations/{c.id}").get_json()
    OAS30Validator(schema_for(document, "/consultations/{consultation_id}")).validate(body)
    assert body["state"] == "opened" and body["publication"] == "invited"
    assert [(p["name"], p["state"], p["external"]) for p in body["parties"]] == [
        ("DH Aalborg", "not_started", True), (world["north"]["municipality"].name,
                                              "not_started", False)]


def test_a_party_reads_the_names_only(app, client, world, document):
    c = _opened(app, world)
    login(client, world["north"]["users"][Role.RESPONDENT])
    body = client.get(f"/api/v1/consultations/{c.id}").get_json()
    OAS30Validator(schema_for(document, "/consultations/{consultation_id}")).validate(body)
    assert all(set(p) == {"id", "name"} for p in body["parties"])


def test_who_may_not_is_a_404(app, client, world):
    c = _opened(app, world)
    login(client, world["north"]["users"][Role.USER_ORG_REP])  # not on the list
    assert_json_error(client.get(f"/api/v1/consultations/{c.id}"), 404)
    assert client.get(f"/api/v1/cycles/{c.cycle_id}/consultations").get_json() == []
    client.post("/logout")
    login(client, world["mid"]["users"][Role.SECRETARIAT])
    assert_json_error(client.get(f"/api/v1/consultations/{c.id}"), 404)
    assert_json_error(client.get(f"/api/v1/cycles/{c.cycle_id}/consultations"), 404)
    assert_json_error(client.get("/api/v1/consultations/999999"), 404)
