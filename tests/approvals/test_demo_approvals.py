"""Issue 12, item 8: the demo's round on the final text, and the walk to "I kraft"."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from webapp.demo import nordjylland
from webapp.demo.seed import seed_demo
from webapp.formatting import LOCAL_TZ, to_local
from webapp.models import (
    ApprovalRound,
    ApprovalState,
    CouncilApproval,
    Cycle,
    OutboundEmail,
    Region,
    TextVersion,
)
from webapp.workflows.approvals.status import agreement_status


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=LOCAL_TZ)


def _round(db):
    cycle = db.session.scalar(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
        Region.code == "nordjylland", Cycle.title == "Rammeaftale 2018"))
    return cycle, db.session.scalar(select(ApprovalRound).where(
        ApprovalRound.cycle_id == cycle.id))


def test_demo_round_on_the_final_text(db, clock):
    seed_demo(clock.now())
    db.session.commit()
    cycle, round_ = _round(db)
    version = db.session.get(TextVersion, round_.text_version_id)
    assert version.is_final and version.frozen_at is not None and version.label == "Endelig"
    records = list(db.session.scalars(select(CouncilApproval).where(
        CouncilApproval.round_id == round_.id)))
    assert len(records) == 12
    states = Counter(r.state for r in records)
    assert states == {ApprovalState.APPROVED: 9, ApprovalState.APPROVED_WITH_REMARKS: 1,
                      ApprovalState.SCHEDULED: 1, ApprovalState.PENDING: 1}
    by = {r.party_name: r for r in records}
    assert by["Region Nordjylland"].state == ApprovalState.PENDING
    late = by["Læsø Kommune"]
    assert late.meeting_date.isoformat() == "2017-10-26"
    assert by["Frederikshavn Kommune"].remarks
    assert by["Morsø Kommune"].on_behalf and not by["Aalborg Kommune"].on_behalf
    assert by["Aalborg Kommune"].minutes_file_id is not None
    for r in records:
        if r.decided_on:
            assert r.decided_on.month in (9, 10) and r.decided_on.year == 2017
    label = agreement_status([r.state for r in records], cycle.first_year).label
    assert label == "10 af 12 godkendt"
    again = seed_demo(clock.now())
    db.session.commit()
    assert not [line for line in again.created if "godkend" in line or "låst" in line]
    assert db.session.scalar(select(func.count(CouncilApproval.id))) == 12


def test_the_approval_milestone_ends_15_october(db, clock):
    seed_demo(clock.now())
    db.session.commit()
    from webapp.models import Milestone

    _cycle, round_ = _round(db)
    milestone = db.session.get(Milestone, round_.milestone_id)
    assert to_local(milestone.ends_at).strftime("%d.%m.%Y %H.%M") == "15.10.2017 23.59"


def test_the_walk_to_in_force(client, db, clock):
    """The docstring's walk: Læsø's respondent records, the secretariat records the region's
    on its behalf, the status is "I kraft" and the e-mail is in the outbox."""
    seed_demo(clock.now())
    db.session.commit()
    _cycle, round_ = _round(db)
    by = {r.party_name: r for r in db.session.scalars(select(CouncilApproval).where(
        CouncilApproval.round_id == round_.id))}
    clock.set(_local("2017-10-27T10:00"))
    client.post("/login", data={"email": "laesoe@nordjylland.example",
                                "password": nordjylland.DEMO_PASSWORD})
    laesoe = by["Læsø Kommune"]
    assert client.post(f"/godkendelser/{laesoe.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-10-26",
        "beslutning-version": laesoe.version_id}).status_code == 302
    client.post("/logout")
    client.post("/login", data={"email": "sekretariat@nordjylland.example",
                                "password": nordjylland.DEMO_PASSWORD})
    region = by["Region Nordjylland"]
    page = client.get(f"/godkendelser/{region.id}").get_data(as_text=True)
    assert "på vegne af Region Nordjylland" in page
    assert client.post(f"/godkendelser/{region.id}/beslutning", data={
        "beslutning-outcome": "approved", "beslutning-decided_on": "2017-10-24",
        "beslutning-version": region.version_id}).status_code == 302
    db.session.expire_all()
    states = db.session.scalars(select(CouncilApproval.state).where(
        CouncilApproval.round_id == round_.id))
    assert agreement_status(states, 2018).label == "I kraft fra 1. januar 2018"
    assert db.session.scalar(select(func.count(OutboundEmail.id)).where(
        OutboundEmail.template == "approval_in_force")) >= 13  # secretariat + 12 respondents
