""""Mine opgaver" and council approvals: a party's respondents see their council's approval as a
task until it is decided; the secretariat sees the round's progress. Fixed query counts."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests import factories as f
from tests.approvals import factories_remind as ar
from webapp.extensions import db as _db
from webapp.models import ApprovalState, CouncilApproval, OrgKind, Role

Rows = dict[str, Any]
TASK = "Registrér byrådets behandling af rammeaftalen"


@pytest.fixture
def round_(world: Rows, clock: Any) -> Rows:
    """North's round: its municipality, two more and the region. The approval milestone is for
    politicians and the secretariat, so a respondent sees it only through the approval."""
    north = world["north"]
    orgs = [north["municipality"],
            f.organisation(north["region"], OrgKind.MUNICIPALITY, "Vest Kommune"),
            f.organisation(north["region"], OrgKind.MUNICIPALITY, "Syd Kommune"),
            f.organisation(north["region"], OrgKind.REGION, "Region Nord")]
    milestone = ar.approval_milestone(north["cycle"], audience=["politician", "secretariat"])
    made = ar.approval_round(north["cycle"], orgs, milestone)
    ar.decide(ar.record_of(made, orgs[2]), date(2017, 8, 30))
    _db.session.commit()
    clock.set(f.at(2017, 9, 1, 10))
    return {"round": made, "orgs": orgs, "cycle": north["cycle"],
            "record": ar.record_of(made, orgs[0])}


def page(client: FlaskClient) -> str:
    response = client.get("/oversigt")
    assert response.status_code == 200
    return htmllib.unescape(response.get_data(as_text=True))


def tasks(html: str) -> str:
    return html.split('id="opgaver-titel"')[1].split("</section>")[0]


def test_a_respondent_sees_the_councils_approval_until_it_is_decided(
        client: FlaskClient, login_as: Callable[..., Any], round_: Rows, clock: Any) -> None:
    record = round_["record"]
    login_as(Role.RESPONDENT)
    mine = tasks(page(client))
    assert TASK in mine and f'href="/godkendelser/{record.id}"' in mine
    assert "Kommune north Byråd:" in mine and "ingen mødedato endnu" in mine
    assert "44 dage" in mine  # 01.09 → 15.10
    ar.schedule(record, date(2017, 9, 20))
    _db.session.commit()
    assert "på dagsordenen 20.09.2017" in tasks(page(client))
    clock.set(f.at(2017, 9, 22, 9))
    assert "mødet 20.09.2017 er holdt – registrér beslutningen" in tasks(page(client))
    ar.schedule(record, date(2017, 10, 26), ApprovalState.POSTPONED)
    _db.session.commit()
    clock.set(f.at(2017, 10, 20, 9))
    late = tasks(page(client))
    # Undecided after the deadline: still a task, with the days over.
    assert "udsat til mødet 26.10.2017" in late and "5 dage over fristen" in late
    ar.decide(record, date(2017, 10, 26))
    _db.session.commit()
    clock.set(f.at(2017, 10, 27, 9))
    assert TASK not in page(client)


def test_only_the_partys_respondents_get_the_task(client: FlaskClient,
                                                  login_as: Callable[..., Any],
                                                  round_: Rows, world: Rows) -> None:
    login_as(Role.STEERING_MEMBER)
    assert TASK not in page(client)
    client.post("/logout")
    login_as(Role.RESPONDENT, region="mid")
    assert TASK not in page(client)
    client.post("/logout")
    region_person = f.user(round_["orgs"][3], [Role.RESPONDENT])
    _db.session.commit()
    login_as(region_person)
    mine = tasks(page(client))
    assert "Registrér regionsrådets behandling af rammeaftalen" in mine
    assert TASK not in mine


def test_the_secretariat_follows_the_round(client: FlaskClient, login_as: Callable[..., Any],
                                           round_: Rows) -> None:
    login_as(Role.SECRETARIAT)
    html = page(client)
    now = html.split('class="needs-now"')[1].split("</section>")[0]
    section = now.split("Politisk godkendelse af rammeaftalen")[1].split("</ul>")[0]
    assert "1 af 4 godkendt" in section
    assert f'href="/cykler/{round_["cycle"].id}/godkendelser"' in section
    assert '<progress value="1" max="4"' in section and "44 dage" in section
    assert TASK not in html  # the secretariat is no party
    for org in round_["orgs"]:
        ar.decide(ar.record_of(round_["round"], org), date(2017, 9, 20))
    _db.session.commit()
    assert "I kraft fra 1. januar 2018" in page(client)


def test_no_round_no_section(client: FlaskClient, login_as: Callable[..., Any],
                             world: Rows) -> None:
    ar.approval_milestone(world["north"]["cycle"])
    _db.session.commit()
    login_as(Role.SECRETARIAT)
    assert "Politisk godkendelse af rammeaftalen" not in page(client)
    client.post("/logout")
    login_as(Role.RESPONDENT)
    assert TASK not in page(client)


def test_the_kept_dashboard_shows_a_changed_record(app: Flask, client: FlaskClient,
                                                   login_as: Callable[..., Any],
                                                   round_: Rows) -> None:
    """The page is kept under the data revision: a record changed by another process (a
    colleague's request, the scheduler) shows at the next view."""
    login_as(Role.RESPONDENT)
    first = page(client)
    assert "ingen mødedato endnu" in first
    assert page(client) == first  # kept: nothing changed
    with app.app_context():
        _db.session.execute(update(CouncilApproval)
                            .where(CouncilApproval.id == round_["record"].id)
                            .values(state=ApprovalState.SCHEDULED,
                                    meeting_date=date(2017, 9, 28)))
        _db.session.commit()
    assert "på dagsordenen 28.09.2017" in page(client)
    with app.app_context():
        _db.session.execute(update(CouncilApproval)
                            .where(CouncilApproval.id == round_["record"].id)
                            .values(state=ApprovalState.APPROVED, decided_on=date(2017, 9, 28)))
        _db.session.commit()
    assert TASK not in page(client)


def _add_parties(world: Rows, made: Any, count: int) -> None:
    """`count` more parties in the round, each with a respondent, in mixed states."""
    north = world["north"]
    for n in range(count):
        org = f.organisation(north["region"], OrgKind.MUNICIPALITY)
        f.user(org, [Role.RESPONDENT])
        _db.session.add(CouncilApproval(round_id=made.id, organisation_id=org.id,
                                        party_name=org.name, council_name=org.council_name,
                                        state=ApprovalState.PENDING))
        _db.session.flush()
        record = ar.record_of(made, org)
        if n % 3 == 0:
            ar.decide(record, date(2017, 8, 20))
        elif n % 3 == 1:
            ar.schedule(record, date(2017, 8, 25))
    _db.session.commit()


@pytest.mark.parametrize("role", [Role.RESPONDENT, Role.SECRETARIAT])
def test_fixed_queries_for_12_and_30_parties(client: FlaskClient, login_as: Callable[..., Any],
                                             world: Rows, queries: Any, clock: Any,
                                             role: Role) -> None:
    made = ar.approval_round(world["north"]["cycle"], [world["north"]["municipality"]])
    _add_parties(world, made, 11)
    clock.set(f.at(2017, 9, 1, 10))
    login_as(role)
    counts = []
    for more in (0, 18):
        _add_parties(world, made, more)
        with queries() as q:
            html = page(client)
        expected = f"{'4' if more == 0 else '10'} af {12 + more} godkendt"
        assert (expected in html) if role == Role.SECRETARIAT else (TASK in html)
        counts.append(q.count)
    assert counts[0] == counts[1], counts
