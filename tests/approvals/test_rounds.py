"""Opening the approval round, its parties, and a new final version (issue 12, items 1 and 3)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.approvals import factories_ap_core as h
from webapp.models import (
    ApprovalRound,
    ApprovalState,
    ApprovalVersionChange,
    AuditEvent,
    CouncilApproval,
    OrgKind,
    Role,
)
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.approvals import decisions, rounds

NOW = f.at(*h.OPENED)


def html(response):
    return response.get_data(as_text=True)


def test_open_round_copies_each_party_and_its_council(db, world):
    s = h.scene(world)
    assert [(a.party_name, a.council_name, a.state) for a in s.round.approvals] == sorted(
        [(o.name, o.council_name, ApprovalState.PENDING) for o in s.parties.values()])
    assert s.round.text_version_id == s.version.id and s.round.milestone_id == s.milestone.id
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "approval_round.opened"))
    assert sorted(event.after["councils"]) == sorted(o.name for o in s.parties.values())


def test_a_party_renamed_or_added_later_does_not_change_the_round(db, world):
    s = h.scene(world)
    s.parties["anden"].name = "Omdøbt Kommune"
    s.parties["anden"].council_name = "Omdøbt Byråd"
    f.organisation(world["north"]["region"], OrgKind.MUNICIPALITY, "Ny Kommune")
    db.session.commit()
    names = set(db.session.scalars(select(CouncilApproval.party_name).where(
        CouncilApproval.round_id == s.round.id)))
    assert "Anden Kommune north" in names and "Omdøbt Kommune" not in names
    assert "Ny Kommune" not in names


def test_only_a_frozen_final_version_and_an_approval_milestone(db, world):
    w = world["north"]
    sec = w["users"][Role.SECRETARIAT]
    cycle = w["cycle"]
    open_version = h.final_version(cycle, frozen=False)
    milestone = h.approval_milestone(cycle)
    other = f.milestone(cycle, f.at(2017, 9, 1))
    orgs = [w["municipality"]]
    with pytest.raises(WorkflowError) as err:
        rounds.open_round(sec, cycle, text_version=open_version, milestone=milestone,
                          organisations=orgs, now=NOW)
    assert err.value.field == "text_version_id"
    with pytest.raises(WorkflowError) as err:
        rounds.open_round(sec, cycle, text_version=h.final_version(cycle), milestone=other,
                          organisations=orgs, now=NOW)
    assert err.value.field == "milestone_id"
    with pytest.raises(WorkflowError) as err:
        rounds.open_round(sec, cycle, text_version=h.final_version(cycle), milestone=milestone,
                          organisations=[], now=NOW)
    assert err.value.field == "organisations"


def test_a_party_outside_the_region_or_without_a_council_is_refused(db, world):
    w = world["north"]
    sec = w["users"][Role.SECRETARIAT]
    version, milestone = h.final_version(w["cycle"]), h.approval_milestone(w["cycle"])
    for org in (world["mid"]["municipality"], w["secretariat_org"]):
        with pytest.raises(WorkflowError) as err:
            rounds.open_round(sec, w["cycle"], text_version=version, milestone=milestone,
                              organisations=[org], now=NOW)
        assert err.value.field == "organisations"


def test_only_the_secretariat_opens_and_only_once(db, world):
    w = world["north"]
    with pytest.raises(PermissionDenied):
        rounds.open_round(w["users"][Role.RESPONDENT], w["cycle"],
                          text_version=h.final_version(w["cycle"]),
                          milestone=h.approval_milestone(w["cycle"]),
                          organisations=[w["municipality"]], now=NOW)
    s = h.scene(world)
    with pytest.raises(WorkflowError, match="allerede"):
        rounds.open_round(s.secretariat, s.cycle, text_version=s.version,
                          milestone=s.milestone, organisations=[w["municipality"]], now=NOW)


def test_adding_and_removing_a_party_is_audited(db, world):
    s = h.scene(world)
    new = f.organisation(world["north"]["region"], OrgKind.MUNICIPALITY, "Tilflytter Kommune")
    added = rounds.add_party(s.secretariat, s.fresh(), new, now=NOW, version=s.round.version_id)
    db.session.commit()
    assert added.party_name == "Tilflytter Kommune" and added.state == ApprovalState.PENDING
    with pytest.raises(WorkflowError, match="allerede part"):
        rounds.add_party(s.secretariat, s.fresh(), new, now=NOW, version=s.round.version_id)
    rounds.remove_party(s.secretariat, s.fresh(), added, now=NOW, version=s.round.version_id)
    db.session.commit()
    assert db.session.scalar(select(func.count(CouncilApproval.id)).where(
        CouncilApproval.round_id == s.round.id)) == 3
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"approval_round.party_added", "approval_round.party_removed"} <= actions
    with pytest.raises(PermissionDenied):
        rounds.add_party(s.respondents["kommune"], s.fresh(), new, now=NOW,
                         version=s.round.version_id)


def _decide(s, party, state=ApprovalState.APPROVED, **kw):
    approval = s.approval(party)
    return decisions.decide(s.respondents[party], approval, decisions.Decision(
        state=state, decided_on=f.at(2017, 9, 20).date(), **kw),
        now=f.at(2017, 9, 21), version=approval.version_id)


def test_new_final_version_approvals_taken_again(db, world):
    s = h.scene(world)
    _decide(s, "kommune", minutes_url="https://kommune.example/protokol")
    db.session.commit()
    new = h.final_version(s.cycle, label="Endelig 2")
    with pytest.raises(WorkflowError) as err:
        rounds.change_version(s.secretariat, s.fresh(), text_version=new, approvals_stand=None,
                              reason="Rettet tal", now=f.at(2017, 9, 22),
                              version=s.round.version_id)
    assert err.value.field == "approvals_stand"
    rounds.change_version(s.secretariat, s.fresh(), text_version=new, approvals_stand=False,
                          reason="Rettet tal i styringsaftalen", now=f.at(2017, 9, 22),
                          version=s.round.version_id)
    db.session.commit()
    approval = s.approval("kommune")
    assert approval.state == ApprovalState.PENDING and approval.decided_on is None
    assert approval.minutes_url == ""
    assert s.round.text_version_id == new.id
    change = db.session.scalar(select(ApprovalVersionChange))
    assert (change.approvals_stand, change.reason, change.to_version_id) == (
        False, "Rettet tal i styringsaftalen", new.id)
    retake = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "council_approval.retake"))
    assert retake.before["state"] == "approved"
    assert retake.before["minutes_url"] == "https://kommune.example/protokol"


def test_new_final_version_approvals_stand(db, world):
    s = h.scene(world)
    _decide(s, "kommune")
    db.session.commit()
    new = h.final_version(s.cycle, label="Endelig 2")
    rounds.change_version(s.secretariat, s.fresh(), text_version=new, approvals_stand=True,
                          reason="Kun sproglige rettelser", now=f.at(2017, 9, 22),
                          version=s.round.version_id)
    db.session.commit()
    assert s.approval("kommune").state == ApprovalState.APPROVED
    for bad, field in ((new, "text_version_id"),
                       (h.final_version(s.cycle, frozen=False), "text_version_id")):
        with pytest.raises(WorkflowError) as err:
            rounds.change_version(s.secretariat, s.fresh(), text_version=bad,
                                  approvals_stand=True, reason="x", now=f.at(2017, 9, 22),
                                  version=s.round.version_id)
        assert err.value.field == field
    with pytest.raises(WorkflowError) as err:
        rounds.change_version(s.secretariat, s.fresh(),
                              text_version=h.final_version(s.cycle, label="3"),
                              approvals_stand=True, reason="  ", now=f.at(2017, 9, 22),
                              version=s.round.version_id)
    assert err.value.field == "reason"


# -- pages -------------------------------------------------------------------------------------

def _form_token(page: str) -> str:
    found = re.search(r'name="once"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="once"', page)
    assert found
    return found.group(1)


def test_open_round_page_preselects_every_council_and_creates_once(client, db, world, login_as,
                                                                   clock):
    w = world["north"]
    other = f.organisation(w["region"], OrgKind.MUNICIPALITY, "Anden Kommune")
    version = h.final_version(w["cycle"])
    h.approval_milestone(w["cycle"])
    db.session.commit()
    clock.set(f.at(*h.OPENED))
    login_as(Role.SECRETARIAT)
    path = f"/cykler/{w['cycle'].id}/godkendelser/aabn"
    page = html(client.get(path))
    for org in (w["municipality"], other):
        assert re.search(rf'<input checked[^>]*value="{org.id}"', page) or re.search(
            rf'value="{org.id}"[^>]*checked', page), org.name
    boxes = page[page.index("checkbox-list"):]
    assert f'value="{w["secretariat_org"].id}"' not in boxes[:boxes.index("</fieldset>")]
    data = {"text_version_id": version.id,
            "milestone_id": h.rounds.approval_milestones(w["cycle"].id)[0].id,
            "organisations": [w["municipality"].id, other.id], "once": _form_token(page)}
    assert client.post(path, data=data).status_code == 302
    assert client.post(path, data=data).status_code == 302  # the same form again
    assert db.session.scalar(select(func.count(ApprovalRound.id))) == 1
    assert db.session.scalar(select(func.count(CouncilApproval.id))) == 2


def test_open_round_page_is_the_secretariats(client, world, login_as):
    login_as(Role.RESPONDENT)
    assert client.get(f"/cykler/{world['north']['cycle'].id}/godkendelser/aabn"
                      ).status_code == 403
    assert client.get(f"/cykler/{world['mid']['cycle'].id}/godkendelser/aabn"
                      ).status_code in (403, 404)


def test_version_change_page(client, db, world, login_as, clock):
    s = h.scene(world)
    _decide(s, "kommune")
    new = h.final_version(s.cycle, label="Endelig 2")
    db.session.commit()
    clock.set(f.at(2017, 9, 22))
    login_as(Role.SECRETARIAT)
    path = f"/cykler/{s.cycle.id}/godkendelser/version"
    page = html(client.get(path))
    assert "Endelig 2" in page and "står ved magt" in page
    response = client.post(path, data={"text_version_id": new.id, "reason": "Ny tekst",
                                       "version": s.round.version_id})
    assert response.status_code == 422
    assert "Vælg, om de beslutninger" in html(response)
    assert "Ny tekst" in html(response)  # nothing typed lost
    response = client.post(path, data={"text_version_id": new.id, "reason": "Ny tekst",
                                       "approvals_stand": "retake",
                                       "version": s.round.version_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CouncilApproval, s.approval("kommune").id).state == \
        ApprovalState.PENDING
    login_as(Role.RESPONDENT)
    assert client.get(path).status_code == 403


def test_parties_page_adds_and_removes(client, db, world, login_as, clock):
    s = h.scene(world)
    new = f.organisation(world["north"]["region"], OrgKind.MUNICIPALITY, "Tilflytter Kommune")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    path = f"/cykler/{s.cycle.id}/godkendelser/parter"
    page = html(client.get(path))
    assert "Tilflytter Kommune" in page and "0 af 3 godkendt" in page
    first = s.round.version_id
    assert client.post(path, data={"organisation_id": new.id,
                                   "version": first}).status_code == 302
    db.session.expire_all()
    round_ = db.session.get(ApprovalRound, s.round.id)
    added = db.session.scalar(select(CouncilApproval).where(
        CouncilApproval.organisation_id == new.id))
    assert client.post(path, data={"remove": added.id,
                                   "version": round_.version_id}).status_code == 302
    # A stale page (the version before the removal) is refused.
    response = client.post(path, data={"organisation_id": new.id, "version": first})
    assert response.status_code == 409
    assert "Nogen har ændret dette" in html(response)
