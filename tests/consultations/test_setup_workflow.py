"""The consultation's setup workflows: the four-week rule, the list of parties, opening (its
preconditions, the state machine, one invitation per address), extensions."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.consultations import setup_helpers as h
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    ConsultationParty,
    ConsultationState,
    MilestoneKind,
    Organisation,
    OrgKind,
    OutboundEmail,
    Publication,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.security import make_link_token, read_link_token
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.base import StaleEdit
from webapp.workflows.consultations import parties as pflow
from webapp.workflows.consultations import setup as flow
from webapp.workflows.states import CONSULTATIONS

NOW = f.at(2017, 1, 10)


@pytest.fixture
def north(world: dict[str, Any]) -> dict[str, Any]:
    return world["north"]


@pytest.fixture
def secretariat(north: dict[str, Any]) -> Any:
    return north["users"][Role.SECRETARIAT]


def _field_error(excinfo: pytest.ExceptionInfo[WorkflowError]) -> str | None:
    return excinfo.value.field


def test_create_sets_the_milestone_period_and_audits_it(app, north, secretariat):
    cycle = north["cycle"]
    version = h.text_version(cycle)
    milestone = h.consultation_milestone(cycle)
    starts, ends = f.at(2017, 8, 2, 9, 0), f.at(2017, 9, 15, 12, 0)
    c = flow.create_consultation(secretariat, cycle, h.data(version, milestone, starts=starts,
                                                            ends=ends), now=NOW)
    db.session.flush()
    assert (c.starts_at, c.deadline) == (starts, ends)
    assert c.state == ConsultationState.DRAFT
    assert c.publication == Publication.INVITED  # nothing that widens access by default
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"consultation.created", "milestone.moved"} <= actions


@pytest.mark.parametrize("days, reason, refused", [
    (27, "", True), (27, "Kort frist pga. byrådsmøder", False), (28, "", False), (10, " ", True),
])
def test_a_deadline_under_four_weeks_needs_a_reason(app, north, secretariat, days, reason,
                                                    refused):
    cycle = north["cycle"]
    starts = f.at(2017, 8, 1, 0, 0)
    ends = f.at(2017, 8, 1 + days if days < 31 else 1, 23, 59)
    d = h.data(h.text_version(cycle), h.consultation_milestone(cycle), starts=starts, ends=ends,
               reason=reason)
    if refused:
        with pytest.raises(WorkflowError) as excinfo:
            flow.create_consultation(secretariat, cycle, d, now=NOW)
        assert _field_error(excinfo) == "short_deadline_reason"
        assert "fire uger" in excinfo.value.message
    else:
        c = flow.create_consultation(secretariat, cycle, d, now=NOW)
        assert flow.period_days(c.starts_at, c.deadline) == days


def test_four_weeks_counts_calendar_days_across_summer_time(app):
    # 26 March 2017 Denmark moves to summer time: 28 local days are 27 days 23 hours.
    assert not flow.is_short(f.at(2017, 3, 10, 0, 0), f.at(2017, 4, 7, 0, 0))
    assert flow.is_short(f.at(2017, 3, 10, 0, 0), f.at(2017, 4, 6, 23, 59))


def test_only_a_frozen_version_of_the_cycle_and_a_consultation_milestone(app, world, north,
                                                                         secretariat):
    cycle = north["cycle"]
    milestone = h.consultation_milestone(cycle)
    with pytest.raises(WorkflowError) as excinfo:
        flow.create_consultation(secretariat, cycle, h.data(
            h.text_version(cycle, frozen=False, title="Ulåst"), milestone), now=NOW)
    assert _field_error(excinfo) == "text_version_id"
    with pytest.raises(WorkflowError) as excinfo:
        flow.create_consultation(secretariat, cycle, h.data(
            h.text_version(world["mid"]["cycle"], title="Andens"), milestone), now=NOW)
    assert _field_error(excinfo) == "text_version_id"
    other = f.milestone(cycle, f.at(2017, 9, 1), MilestoneKind.OTHER)
    with pytest.raises(WorkflowError) as excinfo:
        flow.create_consultation(secretariat, cycle, h.data(h.text_version(cycle, title="T"),
                                                            other), now=NOW)
    assert _field_error(excinfo) == "milestone_id"


def test_only_the_secretariat_prepares_a_consultation(app, north):
    cycle = north["cycle"]
    with pytest.raises(PermissionDenied):
        flow.create_consultation(north["users"][Role.RESPONDENT], cycle, h.data(
            h.text_version(cycle), h.consultation_milestone(cycle)), now=NOW)


def test_edit_while_draft_with_stale_detection(app, north, secretariat):
    c = h.draft(secretariat, north["cycle"])
    version = c.version_id
    flow.update_consultation(secretariat, c, h.data(c.text_version, c.milestone,
                                                    title="Nyt navn"), now=NOW,
                             version=version)
    db.session.commit()
    assert c.title == "Nyt navn"
    with pytest.raises(StaleEdit):
        flow.update_consultation(secretariat, c, h.data(c.text_version, c.milestone,
                                                        title="Gammel form"), now=NOW,
                                 version=version)


def test_parties_by_kind_one_by_one_and_external(app, world, north, secretariat):
    c = h.draft(secretariat, north["cycle"])
    extra = f.organisation(north["region"], OrgKind.MUNICIPALITY, "Aalborg Kommune")
    gone = f.organisation(north["region"], OrgKind.MUNICIPALITY, "Nedlagt Kommune")
    gone.active = False
    assert pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW) == 2
    # Again: nothing new, nothing doubled; another region's municipality is never added.
    assert pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW) == 0
    org = db.session.get(Organisation, world["north"]["users"][Role.USER_ORG_REP].organisation_id)
    pflow.add_organisation(secretariat, c, org.id, now=NOW)
    with pytest.raises(WorkflowError) as excinfo:
        pflow.add_organisation(secretariat, c, org.id, now=NOW)
    assert _field_error(excinfo) == "organisation_id"
    with pytest.raises(WorkflowError) as excinfo:
        pflow.add_organisation(secretariat, c, world["mid"]["municipality"].id, now=NOW)
    assert _field_error(excinfo) == "organisation_id"
    with pytest.raises(WorkflowError) as excinfo:
        pflow.add_external(secretariat, c, name="DH", email="dh@aalborg", now=NOW)
    assert _field_error(excinfo) == "email"
    external = pflow.add_external(secretariat, c, name="DH Aalborg", email="dh@dh.example",
                                  now=NOW)
    assert external.access_nonce and len(external.access_nonce) == 32
    with pytest.raises(WorkflowError) as excinfo:
        pflow.add_external(secretariat, c, name="Igen", email="DH@dh.example", now=NOW)
    assert _field_error(excinfo) == "email"
    db.session.commit()
    names = set(db.session.scalars(select(ConsultationParty.name).where(
        ConsultationParty.consultation_id == c.id)))
    assert names == {north["municipality"].name, extra.name, org.name, "DH Aalborg"}
    party = db.session.scalar(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id, ConsultationParty.name == extra.name))
    pflow.remove_party(secretariat, c, party, now=NOW)
    db.session.commit()
    assert db.session.get(ConsultationParty, party.id) is None


def _with_parties(north: dict[str, Any], secretariat: Any) -> Any:
    c = h.draft(secretariat, north["cycle"])
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    pflow.add_by_kind(secretariat, c, OrgKind.USER_ORGANISATION, now=NOW)
    pflow.add_external(secretariat, c, name="DH Aalborg", email="dh@dh.example", now=NOW)
    db.session.commit()
    return c


def test_open_needs_a_party(app, north, secretariat):
    c = h.draft(secretariat, north["cycle"])
    with app.test_request_context(), pytest.raises(WorkflowError) as excinfo:
        flow.open_consultation(secretariat, c, now=NOW)
    assert "tom" in excinfo.value.message


def test_open_needs_a_deadline_in_the_future(app, north, secretariat):
    c = _with_parties(north, secretariat)
    with app.test_request_context(), pytest.raises(WorkflowError) as excinfo:
        flow.open_consultation(secretariat, c, now=f.at(2017, 10, 1))
    assert "overskredet" in excinfo.value.message


def test_open_needs_a_frozen_version(app, north, secretariat):
    c = _with_parties(north, secretariat)
    c.text_version.frozen_at = None
    db.session.flush()
    with app.test_request_context(), pytest.raises(WorkflowError) as excinfo:
        flow.open_consultation(secretariat, c, now=NOW)
    assert "låst" in excinfo.value.message


def test_open_invites_every_party_once_and_cannot_be_repeated(app, world, north, secretariat):
    c = _with_parties(north, secretariat)
    respondent = north["users"][Role.RESPONDENT]
    rep = north["users"][Role.USER_ORG_REP]
    second = f.user(north["municipality"], [Role.RESPONDENT], email="anden@kommune.example")
    f.user(north["municipality"], [Role.RESPONDENT], email="inaktiv@kommune.example",
           active=False)
    db.session.commit()
    with app.test_request_context():
        sent = flow.open_consultation(secretariat, c, now=NOW, version=c.version_id)
        db.session.commit()
    mails = list(db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "consultation_invitation")))
    to = sorted(m.to_address for m in mails)
    assert to == sorted([respondent.email, second.email, rep.email, "dh@dh.example"])
    assert sent == len(mails) == 4
    assert c.state == ConsultationState.OPENED and c.opened_at == NOW
    parties = list(db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id)))
    assert all(p.invited_at == NOW for p in parties)
    # The external party's personal link carries a token for its own nonce.
    external = next(p for p in parties if p.email)
    body = next(m.body_text for m in mails if m.to_address == "dh@dh.example")
    link = next(line for line in body.splitlines() if "/hoeringer/" in line)
    token = parse_qs(urlsplit(link.strip()).query)["adgang"][0]
    with app.app_context():
        assert read_link_token(pflow.LINK_PURPOSE, token, 3600) == {
            "u": external.id, "n": external.access_nonce}
    # The organisations' e-mails carry the plain page, no token.
    assert all("adgang=" not in m.body_text for m in mails if m.to_address != "dh@dh.example")
    # Opened once: the state machine refuses a second opening, and the list is closed.
    with app.test_request_context(), pytest.raises(WorkflowError):
        flow.open_consultation(secretariat, c, now=NOW)
    with pytest.raises(WorkflowError):
        pflow.add_external(secretariat, c, name="Sent", email="sent@x.example", now=NOW)
    with pytest.raises(WorkflowError):
        flow.update_consultation(secretariat, c, h.data(c.text_version, c.milestone), now=NOW,
                                 version=c.version_id)
    assert db.session.scalar(select(AuditEvent.after).where(
        AuditEvent.action == "consultation.opened")) == {
            "state": "opened", "invited": 3, "emails": 4}


def test_the_state_machine(app):
    assert CONSULTATIONS.allows(ConsultationState.DRAFT, ConsultationState.OPENED)
    assert not CONSULTATIONS.allows(ConsultationState.OPENED, ConsultationState.DRAFT)
    assert CONSULTATIONS.is_editable(ConsultationState.DRAFT)
    assert not CONSULTATIONS.is_editable(ConsultationState.OPENED)


def test_the_system_may_prepare_and_open_for_the_demo(app, north):
    c = h.draft(SYSTEM, north["cycle"])
    pflow.add_by_kind(SYSTEM, c, OrgKind.MUNICIPALITY, now=NOW)
    with app.test_request_context():
        assert flow.open_consultation(SYSTEM, c, now=NOW) == 1


def test_extension_for_one_party(app, north, secretariat):
    c = _with_parties(north, secretariat)
    party = db.session.scalar(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id, ConsultationParty.email.is_not(None)))
    with pytest.raises(WorkflowError) as excinfo:
        pflow.grant_extension(secretariat, c, party, f.at(2017, 9, 1), "Grund", now=NOW)
    assert _field_error(excinfo) == "until_date"
    with pytest.raises(WorkflowError) as excinfo:
        pflow.grant_extension(secretariat, c, party, f.at(2017, 10, 6), " ", now=NOW)
    assert _field_error(excinfo) == "reason"
    with pytest.raises(PermissionDenied):
        pflow.grant_extension(north["users"][Role.RESPONDENT], c, party, f.at(2017, 10, 6),
                              "Grund", now=NOW)
    pflow.grant_extension(secretariat, c, party, f.at(2017, 10, 6), "Byrådsmøde", now=NOW,
                          version=party.version_id)
    db.session.commit()
    assert party.extended_until == f.at(2017, 10, 6) and party.extension_reason == "Byrådsmøde"


def test_an_invited_party_is_told_its_new_deadline(app, north, secretariat):
    c = _with_parties(north, secretariat)
    with app.test_request_context():
        flow.open_consultation(secretariat, c, now=NOW)
        parties = list(db.session.scalars(select(ConsultationParty).where(
            ConsultationParty.consultation_id == c.id)))
        for party in parties:
            pflow.grant_extension(secretariat, c, party, f.at(2017, 10, 6), "Møde", now=NOW)
        db.session.commit()
    told = {m.to_address: m.body_text for m in db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "consultation_extended"))}
    assert set(told) == {north["users"][Role.RESPONDENT].email,
                         north["users"][Role.USER_ORG_REP].email, "dh@dh.example"}
    assert "06.10.2017" in told["dh@dh.example"] and "adgang=" in told["dh@dh.example"]
    assert "adgang=" not in told[north["users"][Role.RESPONDENT].email]


def test_a_forged_or_revoked_link_token_is_refused(app, north, secretariat):
    c = _with_parties(north, secretariat)
    party = db.session.scalar(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id, ConsultationParty.email.is_not(None)))
    with app.app_context():
        token = make_link_token(pflow.LINK_PURPOSE, party.id, party.access_nonce or "")
        assert read_link_token(pflow.LINK_PURPOSE, token + "x", 3600) is None
        assert read_link_token("invitation", token, 3600) is None
