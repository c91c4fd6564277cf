"""The API's workshops: the cycle's list and one workshop with themes and counts, matching the
OpenAPI document; names only for the secretariat, another region's or an uninvited person's a
404."""

from __future__ import annotations

from openapi_schema_validator import OAS30Validator

from tests.test_api import login, response_schema
from tests.workshops.helpers import build, invite, people, pick, sign
from webapp.models import Role


def test_the_workshop_endpoints(client, db, world):
    workshop = build(world)
    respondent = world["north"]["users"][Role.RESPONDENT]
    [invitee] = invite(world, workshop, [respondent])
    sign(respondent, invitee, pick(workshop, [0, 1], [0]))
    other = people(world, 1)
    db.session.commit()
    document = client.get("/api/v1/openapi.json").get_json()
    cycle = world["north"]["cycle"].id
    for person, sees_names in ((world["north"]["users"][Role.SECRETARIAT], True),
                               (respondent, False)):
        caller = client.application.test_client()
        login(caller, person)
        listed = caller.get(f"/api/v1/cycles/{cycle}/workshops")
        assert listed.status_code == 200 and [w["id"] for w in listed.get_json()] == [
            workshop.id]
        OAS30Validator(response_schema(document, "/cycles/{cycle_id}/workshops", "get")
                       ).validate(listed.get_json())
        one = caller.get(f"/api/v1/workshops/{workshop.id}")
        assert one.status_code == 200
        OAS30Validator(response_schema(document, "/workshops/{workshop_id}", "get")
                       ).validate(one.get_json())
        theme = one.get_json()["sessions"][0]["themes"][0]
        assert theme["signed_up"] == 1
        assert ("participants" in theme) == sees_names
    caller = client.application.test_client()
    login(caller, other[0])
    assert caller.get(f"/api/v1/workshops/{workshop.id}").status_code == 404
    assert caller.get(f"/api/v1/cycles/{cycle}/workshops").get_json() == []
    caller = client.application.test_client()
    login(caller, world["mid"]["users"][Role.SECRETARIAT])
    assert caller.get(f"/api/v1/workshops/{workshop.id}").status_code == 404
