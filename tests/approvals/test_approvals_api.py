"""GET /api/v1/cycles/<id>/approvals: public fields without a token, internal notes only for
the region's secretariat, scoped like /api/v1/cycles/<id> for a signed-in caller."""

from __future__ import annotations

import pytest
from openapi_schema_validator import OAS30Validator

from tests import factories as f
from tests.approvals.factories_read import approval_round, version_change
from webapp.extensions import db
from webapp.models import ApprovalState as S
from webapp.models import CycleState, Role

STATES = [S.APPROVED, S.APPROVED_WITH_REMARKS, S.SCHEDULED, S.POSTPONED]
INTERNAL = {"internal_note", "recorded_by", "recorded_at", "on_behalf"}


@pytest.fixture
def setup(world):
    north = world["north"]
    made = approval_round(region=north["region"], cycle=north["cycle"],
                          include=[north["municipality"]], states=STATES)
    made.approvals[0].internal_note = "Intern note"
    db.session.commit()
    version_change(made, stand=True, reason="Kun sproglige rettelser.")
    return made


def _url(setup) -> str:
    return f"/api/v1/cycles/{setup.cycle.id}/approvals"


def _schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    return {**document["components"]["schemas"]["CycleApprovals"],
            "components": document["components"]}


def test_without_a_token_the_public_fields(client, setup, clock):
    clock.set(f.at(2017, 10, 5, 9, 0))
    response = client.get(_url(setup))
    assert response.status_code == 200
    body = response.get_json()
    OAS30Validator(_schema(client)).validate(body)
    assert body["status"] == {"kind": "in_progress", "label": "2 af 12 godkendt",
                              "approved": 2, "total": 12}
    assert body["round"]["days_left"] == 10
    assert len(body["approvals"]) == 12
    assert not any(INTERNAL & set(a) for a in body["approvals"])
    postponed = next(a for a in body["approvals"] if a["state"] == "postponed")
    assert postponed["meeting_after_deadline"] and postponed["meeting_date"] == "2017-10-25"
    assert body["version_changes"][0]["approvals_stand"] is True


def test_the_secretariat_also_reads_the_internal_notes(client, login_as, setup):
    login_as(Role.SECRETARIAT)
    body = client.get(_url(setup)).get_json()
    OAS30Validator(_schema(client)).validate(body)
    notes = [a["internal_note"] for a in body["approvals"]]
    assert "Intern note" in notes
    assert all(set(a) >= INTERNAL for a in body["approvals"])


def test_a_respondent_reads_the_public_fields_only(client, login_as, setup):
    login_as(Role.RESPONDENT)
    body = client.get(_url(setup)).get_json()
    assert not any(INTERNAL & set(a) for a in body["approvals"])


def test_another_regions_cycle_is_a_404_for_a_signed_in_caller(client, login_as, setup):
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(_url(setup)).status_code == 404


def test_a_bad_token_is_still_refused(client, setup):
    response = client.get(_url(setup), headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_drafts_and_unknown_cycles_are_404_and_a_cycle_without_round_has_none(client, world,
                                                                               setup):
    assert client.get("/api/v1/cycles/999999/approvals").status_code == 404
    body = client.get(f"/api/v1/cycles/{world['mid']['cycle'].id}/approvals").get_json()
    assert body["round"] is None and body["status"] is None and body["approvals"] == []
    setup.cycle.state = CycleState.DRAFT
    db.session.commit()
    assert client.get(_url(setup)).status_code == 404


def test_other_endpoints_still_need_a_token(client, setup):
    assert client.get(f"/api/v1/cycles/{setup.cycle.id}").status_code == 401


@pytest.mark.parametrize("size", [12, 30])
def test_a_fixed_number_of_queries(client, world, queries, size):
    made = approval_round(region=world["north"]["region"], municipalities=size - 1,
                          states=STATES * 8)
    client.get(f"/api/v1/cycles/{made.cycle.id}/approvals")
    with queries() as q:
        body = client.get(f"/api/v1/cycles/{made.cycle.id}/approvals").get_json()
    assert len(body["approvals"]) == size
    assert q.count == 5, q.statements  # cycle, token, round, records, version changes
