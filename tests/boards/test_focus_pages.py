"""The focus areas' pages: the cycle's page with the secretariat's forms and the lead's status
report, the cycle page's "Status på tidligere fokusområder", the public page and the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from sqlalchemy import select

from tests import factories as f
from tests.boards import factories as bf
from webapp.extensions import db
from webapp.models import CycleState, FocusArea, Initiative, InitiativeStatus, Role


def html(response: Any) -> str:
    return response.get_data(as_text=True)


def version_of(page: str) -> str:
    match = re.search(r'name="version" (?:type="hidden" )?value="(\d+)"', page) or re.search(
        r'value="(\d+)" name="version"', page)
    assert match, "no version field"
    return match.group(1)


@pytest.fixture
def areas(world: dict[str, Any]) -> list[FocusArea]:
    north = world["north"]
    made = bf.focus_areas(north["cycle"], areas=2, initiatives=2, lead=north["municipality"])
    db.session.commit()
    return made


def _initiatives(area: FocusArea) -> list[Initiative]:
    return list(db.session.scalars(select(Initiative).where(Initiative.focus_area_id == area.id)
                                   .order_by(Initiative.position)))


def test_everyone_in_the_region_reads_the_focus_areas(client, login_as, world, areas):
    login_as(Role.OBSERVER)
    page = html(client.get(f"/cykler/{world['north']['cycle'].id}/fokusomraader"))
    assert "Fokusområde 1: Fokusområde 1" in page and "Vision 2." in page
    assert "a)</span> Initiativ 1a" in page and "b)</span> Initiativ 1b" in page
    assert "Tovholder" in page and "Kommune north" in page and "I gang" in page
    assert "Meld status" not in page and "Nyt fokusområde" not in page


def test_another_regions_ids_are_404(client, login_as, world, areas):
    login_as(Role.SECRETARIAT, region="mid")
    initiative = _initiatives(areas[0])[0]
    for path in (f"/cykler/{world['north']['cycle'].id}/fokusomraader",
                 f"/fokusomraader/{areas[0].id}/rediger",
                 f"/fokusomraader/{areas[0].id}/initiativer/nyt",
                 f"/initiativer/{initiative.id}/rediger", f"/initiativer/{initiative.id}/status",
                 f"/initiativer/{initiative.id}/slet"):
        assert client.get(path).status_code == 404, path


def test_the_secretariat_creates_an_area_once_and_edits_it(client, login_as, world):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    form = html(client.get(f"/cykler/{cycle.id}/fokusomraader/nyt"))
    once = re.search(r'name="once" type="hidden" value="([^"]+)"', form) or re.search(
        r'value="([^"]+)" name="once"', form)
    assert once
    data = {"title": "Nye samarbejdsformer", "vision": "**Vision**", "background": "",
            "once": once.group(1)}
    first = client.post(f"/cykler/{cycle.id}/fokusomraader/nyt", data=data)
    assert first.status_code == 302
    again = client.post(f"/cykler/{cycle.id}/fokusomraader/nyt", data=data)
    assert again.status_code == 302  # sent to what the first post made; nothing new
    assert len(db.session.scalars(select(FocusArea)).all()) == 1
    area = db.session.scalars(select(FocusArea)).one()
    page = html(client.get(f"/cykler/{cycle.id}/fokusomraader"))
    assert "<strong>Vision</strong>" in page and "Nyt initiativ" in page
    # A refused title keeps the input, at its field.
    edit = f"/fokusomraader/{area.id}/rediger"
    version = version_of(html(client.get(edit)))
    refused = client.post(edit, data={"title": "", "vision": "Ny vision", "version": version})
    assert refused.status_code == 422
    assert "Skriv fokusområdets titel." in html(refused) and "Ny vision" in html(refused)


def test_two_tabs_editing_an_initiative_the_second_sees_the_conflict(client, login_as, world,
                                                                     areas):
    login_as(Role.SECRETARIAT)
    initiative = _initiatives(areas[0])[0]
    url = f"/initiativer/{initiative.id}/rediger"
    version = version_of(html(client.get(url)))
    lead = world["north"]["municipality"].id
    first = client.post(url, data={"title": "Første", "description": "",
                                   "lead_organisation_id": lead, "version": version})
    assert first.status_code == 302
    second = client.post(url, data={"title": "Anden fane", "description": "Min tekst",
                                    "lead_organisation_id": lead, "version": version})
    assert second.status_code == 422
    page = html(second)
    assert "Det, der nu er gemt" in page and "Første" in page
    assert "Anden fane" in page and "Min tekst" in page  # the person's input kept


def test_an_unoffered_lead_is_a_message_at_the_field(client, login_as, world, areas):
    login_as(Role.SECRETARIAT)
    foreign = world["mid"]["municipality"].id
    response = client.post(f"/fokusomraader/{areas[0].id}/initiativer/nyt",
                           data={"title": "Nyt", "lead_organisation_id": foreign})
    assert response.status_code == 422
    assert 'id="lead_organisation_id-error"' in html(response)


def test_moving_and_removing(client, login_as, world, areas):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    second = areas[1]
    moved = client.post(f"/fokusomraader/{second.id}/flyt",
                        data={"step": "-1", "version": second.version_id})
    assert moved.status_code == 302
    page = html(client.get(f"/cykler/{cycle.id}/fokusomraader"))
    assert page.index("Fokusområde 1: Fokusområde 2") < page.index("Fokusområde 2: Fokusområde 1")
    url = f"/fokusomraader/{areas[0].id}/slet"
    confirm = html(client.get(url))
    assert "Dets initiativer og deres statusmeldinger slettes med det." in confirm
    assert client.post(url, data={"version": version_of(confirm)}).status_code == 302
    assert "Fokusområde 1</h2>" not in html(client.get(f"/cykler/{cycle.id}/fokusomraader"))


def test_the_leads_respondent_reports_status(client, login_as, world, areas, clock):
    clock.set(f.at(2018, 9, 14, 10))
    respondent = login_as(Role.RESPONDENT)
    cycle = world["north"]["cycle"]
    page = html(client.get(f"/cykler/{cycle.id}/fokusomraader"))
    assert page.count(">Meld status<") == 4
    initiative = _initiatives(areas[0])[1]
    url = f"/initiativer/{initiative.id}/status"
    form = html(client.get(url))
    assert "Der er ikke meldt status endnu." in form and 'value="2018-09-14"' in form
    version = version_of(form)
    refused = client.post(url, data={"status": "done", "report": "",
                                     "reported_on": "2018-09-14", "version": version})
    assert refused.status_code == 422 and "Skriv en kort status." in html(refused)
    done = client.post(url, data={"status": "done", "report": "Kortlægningen er færdig.",
                                  "reported_on": "2018-09-14", "version": version})
    assert done.status_code == 302
    page = html(client.get(f"/cykler/{cycle.id}/fokusomraader"))
    assert "Kortlægningen er færdig." in page and "pr. 14.09.2018" in page
    history = html(client.get(url))
    assert "Kortlægningen er færdig." in history and respondent.name in history
    # A second tab with the old version: the conflict, its input kept.
    stale = client.post(url, data={"status": "in_progress", "report": "Fra den anden fane",
                                   "reported_on": "2018-09-14", "version": version})
    assert stale.status_code == 422
    assert "Fra den anden fane" in html(stale) and "Det, der nu er gemt" in html(stale)


def test_others_may_not_report_or_manage(client, login_as, world, areas):
    initiative = _initiatives(areas[0])[0]
    login_as(Role.STEERING_MEMBER)
    assert client.get(f"/initiativer/{initiative.id}/status").status_code == 403
    other = f.user(f.organisation(world["north"]["region"], name="Anden kommune"),
                   [Role.RESPONDENT])
    db.session.commit()
    client.post("/logout")
    login_as(other)
    assert client.get(f"/initiativer/{initiative.id}/status").status_code == 403
    assert client.get(f"/fokusomraader/{areas[0].id}/rediger").status_code == 403


def test_the_cycle_page_shows_the_earlier_cycles_focus_areas(client, login_as, world, areas):
    north = world["north"]
    with_reports = _initiatives(areas[0])[0]
    with_reports.status, with_reports.status_date = InitiativeStatus.DONE, f.at(2019, 3, 1).date()
    nxt = f.cycle(north["region"], title="Rammeaftale 2019–2020", first_year=2019,
                  last_year=2020)
    nxt.cloned_from_id = north["cycle"].id
    db.session.commit()
    login_as(Role.RESPONDENT)
    page = html(client.get(f"/cykler/{nxt.id}"))
    assert "Status på tidligere fokusområder" in page
    assert "Rammeaftale 2018 north" in page and "1. Fokusområde 1" in page
    assert "Afsluttet" in page and "pr. 01.03.2019" in page and "Afsluttet: 1" in page
    own = html(client.get(f"/cykler/{north['cycle'].id}"))
    assert "Cyklussens fokusområder og initiativer" in own
    assert "Status på tidligere fokusområder" not in own


def test_the_public_page_without_login(client, world, areas):
    cycle = world["north"]["cycle"]
    url = f"/offentlig/cykler/{cycle.id}/fokusomraader"
    page = client.get(url)
    assert page.status_code == 200
    text = html(page)
    assert "Region north" in text and "Initiativ 2b" in text and "Kommune north" in text
    assert "/initiativer/" not in text and "Meld status" not in text
    assert client.get("/offentlig/cykler/999999/fokusomraader").status_code == 404
    cycle.state = CycleState.DRAFT
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_api_without_a_token_and_its_schema(client, login_as, world, areas):
    cycle = world["north"]["cycle"]
    url = f"/api/v1/cycles/{cycle.id}/focus-areas"
    body = client.get(url).get_json()
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/cycles/{cycle_id}/focus-areas" in document["paths"]
    schema = {**document["components"]["schemas"]["CycleFocusAreas"],
              "components": document["components"]}
    OAS30Validator(schema).validate(body)
    first = body["focus_areas"][0]
    assert first["title"] == "Fokusområde 1" and first["number"] == 1
    assert [i["letter"] for i in first["initiatives"]] == ["a", "b"]
    assert first["initiatives"][0]["status"] == "in_progress"
    assert first["initiatives"][0]["lead_organisation"]["name"] == "Kommune north"
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(url).status_code == 404
    client.post("/logout")
    cycle.state = CycleState.DRAFT
    db.session.commit()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [(2, 2), (8, 6)])
def test_pages_read_a_fixed_number_of_queries(client, login_as, world, queries, size):
    north = world["north"]
    bf.focus_areas(north["cycle"], areas=size[0], initiatives=size[1], lead=north["municipality"])
    nxt = f.cycle(north["region"], title="Næste", first_year=2019)
    nxt.cloned_from_id = north["cycle"].id
    db.session.commit()
    public = f"/offentlig/cykler/{north['cycle'].id}/fokusomraader"
    api = f"/api/v1/cycles/{north['cycle'].id}/focus-areas"
    client.get(public)
    client.get(api)
    with queries() as q:
        assert client.get(public).status_code == 200
    # the revision's token, the cycle with its region, the areas, the initiatives with leads
    assert q.count == 4, q.statements
    with queries() as q:
        assert client.get(api).status_code == 200
    assert q.count == 4, q.statements
    login_as(Role.RESPONDENT)
    pages = (f"/cykler/{north['cycle'].id}/fokusomraader", f"/cykler/{nxt.id}")
    counts = []
    for page in pages:
        client.get(page)
        with queries() as q:
            assert client.get(page).status_code == 200
        counts.append(q.count)
    assert counts == EXPECTED_COUNTS, counts


# The focus page: the person, the cycle, the areas, the initiatives with leads. The next cycle's
# page: the person, the cycle, its milestones, the earlier cycle, its areas and initiatives, and
# the source named beside "Kopieret fra".
EXPECTED_COUNTS = [4, 7]
