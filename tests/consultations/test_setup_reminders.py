"""Who is reminded about a consultation: invited parties without a submitted response ("Ingen
bemærkninger" counts as submitted), against their own deadline: an organisation through its
people, an external party at its address with its personal link. Fixed queries for many
milestones."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests import factories as f
from tests.consultations import setup_helpers as h
from tests.mailserver import text_body
from webapp.extensions import db
from webapp.models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    DeliveryState,
    Milestone,
    MilestoneKind,
    OrgKind,
    ReminderDelivery,
    ReminderRule,
    Role,
)
from webapp.workflows import audiences, reminders
from webapp.workflows.consultations import parties as pflow
from webapp.workflows.consultations import setup as flow
from webapp.workflows.consultations.audience import ConsultationAudience

NOW = f.at(2017, 1, 10)


def build(app: Any, world: dict[str, Any]) -> dict[str, Any]:
    """An opened consultation: the municipality (its respondent), the user organisation (its
    representative), two more municipalities (one answered "Ingen bemærkninger", one with a
    draft and an extension) and an external party."""
    north = world["north"]
    secretariat = north["users"][Role.SECRETARIAT]
    quiet = f.organisation(north["region"], OrgKind.MUNICIPALITY, "Stille Kommune")
    busy = f.organisation(north["region"], OrgKind.MUNICIPALITY, "Travl Kommune")
    busy_person = f.user(busy, [Role.RESPONDENT], email="travl@kommune.example")
    f.user(quiet, [Role.RESPONDENT], email="stille@kommune.example")
    c = h.draft(secretariat, north["cycle"])
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    pflow.add_by_kind(secretariat, c, OrgKind.USER_ORGANISATION, now=NOW)
    pflow.add_external(secretariat, c, name="DH Aalborg", email="dh@dh.example", now=NOW)
    db.session.commit()
    with app.test_request_context():
        flow.open_consultation(secretariat, c, now=NOW)
        db.session.commit()
    by_org = {p.organisation_id: p for p in db.session.scalars(
        select(ConsultationParty).where(ConsultationParty.consultation_id == c.id))}
    db.session.add(ConsultationResponse(
        consultation_id=c.id, party_id=by_org[quiet.id].id, no_comments=True,
        state=ConsultationResponseState.SUBMITTED, submitted_at=NOW))
    db.session.add(ConsultationResponse(consultation_id=c.id, party_id=by_org[busy.id].id,
                                        state=ConsultationResponseState.DRAFT))
    pflow.grant_extension(secretariat, c, by_org[busy.id], f.at(2017, 10, 13, 12, 0), "Møde",
                          now=NOW)
    db.session.commit()
    return {"consultation": c, "busy": busy, "busy_person": busy_person, "quiet": quiet,
            "milestone": db.session.get(Milestone, c.milestone_id)}


def test_pending_parties_and_their_own_deadlines(app, world):
    data = build(app, world)
    north = world["north"]
    with app.test_request_context():
        items = audiences.pending([data["milestone"]], NOW)
    by_owner = {i.owner.name: i for i in items}
    assert set(by_owner) == {north["municipality"].name, "Brugerorg north", "Travl Kommune",
                             "DH Aalborg"}
    assert by_owner["Travl Kommune"].deadline == f.at(2017, 10, 13, 12, 0)
    assert by_owner[north["municipality"].name].deadline == f.at(*h.DEADLINE)
    assert [p.email for p in by_owner["Brugerorg north"].recipients] == [
        north["users"][Role.USER_ORG_REP].email]
    assert [p.email for p in by_owner["Travl Kommune"].recipients] == ["travl@kommune.example"]
    c = data["consultation"]
    external = by_owner.pop("DH Aalborg")
    assert all(i.link.endswith(f"/hoeringer/{c.id}") and i.what == c.title
               for i in by_owner.values())
    assert all(i.owner.kind == "organisation" for i in by_owner.values())
    assert external.owner.kind == "address" and external.owner.key == "dh@dh.example"
    assert [(r.name, r.email) for r in external.recipients] == [("DH Aalborg", "dh@dh.example")]
    assert f"/hoeringer/{c.id}?adgang=" in external.link


def test_a_draft_consultation_reminds_nobody(app, world):
    north = world["north"]
    secretariat = north["users"][Role.SECRETARIAT]
    c = h.draft(secretariat, north["cycle"])
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    db.session.commit()
    with app.test_request_context():
        assert audiences.pending([db.session.get(Milestone, c.milestone_id)], NOW) == []


def test_a_consultation_milestone_gets_the_default_rules(app, world):
    data = build(app, world)
    rules = db.session.scalars(select(ReminderRule).where(
        ReminderRule.milestone_id == data["milestone"].id)).all()
    assert sorted((r.kind, r.offset_days) for r in rules) == sorted(
        (r.kind, r.offset_days) for r in ConsultationAudience.default_rules)


def test_reminders_go_to_the_pending_parties_people(app, world, smtp):
    build(app, world)
    north = world["north"]
    with app.app_context():
        reminders.run_due(f.at(2017, 9, 15, 8, 5))  # 14 days before 29.09
    to = sorted(m["To"] for m in smtp.inbox.messages)
    # Travl Kommune has until 13.10: its 14-day reminder comes on 29.09, not now.
    assert to == sorted([north["users"][Role.RESPONDENT].email,
                         north["users"][Role.USER_ORG_REP].email, "dh@dh.example"])
    assert "stille@kommune.example" not in to
    external = next(m for m in smtp.inbox.messages if m["To"] == "dh@dh.example")
    body = text_body(external)
    assert "DH Aalborg" in body and "?adgang=" in body


def test_an_external_party_that_answers_is_not_reminded_again(app, world, smtp):
    """The reminder is claimed, then the party submits before it is sent: it is cancelled
    (the pass asks the audience again just before sending), and later passes skip it."""
    data = build(app, world)
    party = db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.email == "dh@dh.example")).one()
    with app.app_context():
        assert any(p.recipient == "dh@dh.example" for p in reminders.plan(
            f.at(2017, 9, 15, 8, 5)))
        db.session.add(ConsultationResponse(
            consultation_id=data["consultation"].id, party_id=party.id, no_comments=True,
            state=ConsultationResponseState.SUBMITTED, submitted_at=NOW))
        db.session.commit()
        reminders.run_due(f.at(2017, 9, 22, 8, 5))  # 7 days before 29.09
    assert "dh@dh.example" not in {m["To"] for m in smtp.inbox.messages}


def test_an_external_reminder_claimed_before_the_answer_is_cancelled(app, world, smtp):
    data = build(app, world)
    party = db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.email == "dh@dh.example")).one()
    with app.app_context():
        smtp.inbox.refuse = True  # the first attempt fails: the claim stays, unsent
        reminders.run_due(f.at(2017, 9, 15, 8, 5))
        delivery = db.session.scalars(select(ReminderDelivery).where(
            ReminderDelivery.recipient == "dh@dh.example")).one()
        assert delivery.organisation_id is None and delivery.user_id is None
        db.session.add(ConsultationResponse(
            consultation_id=data["consultation"].id, party_id=party.id, no_comments=True,
            state=ConsultationResponseState.SUBMITTED, submitted_at=NOW))
        db.session.commit()
        smtp.inbox.refuse = False
        reminders.send_claimed(f.at(2017, 9, 16, 8, 5))
        db.session.refresh(delivery)
        assert delivery.state == DeliveryState.CANCELLED
        assert delivery.reason == "Ikke sendt: parten har leveret."


def _many(world: dict[str, Any], n: int, tag: str) -> list[Milestone]:
    north = world["north"]
    milestones = []
    for i in range(n):
        version = h.text_version(north["cycle"])
        milestone = f.milestone(north["cycle"], f.at(2017, 9, 1 + i), MilestoneKind.CONSULTATION,
                                starts_at=f.at(2017, 8, 1))
        c = Consultation(cycle_id=north["cycle"].id, milestone_id=milestone.id,
                         text_version_id=version.id, title=f"Høring {tag}{i}",
                         state=ConsultationState.OPENED, parties=[], documents=[])
        for j in range(3):
            org = f.organisation(north["region"], OrgKind.MUNICIPALITY, f"K {tag}{i}-{j}")
            f.user(org, [Role.RESPONDENT])
            c.parties.append(ConsultationParty(organisation_id=org.id, name=org.name,
                                               invited_at=NOW))
        c.parties.append(ConsultationParty(name=f"Ekstern {tag}{i}", invited_at=NOW,
                                           email=f"ekstern-{tag}{i}@x.example",
                                           access_nonce=f"{tag}{i}"))
        db.session.add(c)
        milestones.append(milestone)
    db.session.commit()
    return milestones


def test_pending_uses_a_fixed_number_of_queries(app, world, queries):
    few, many = _many(world, 2, "a"), _many(world, 8, "b")
    with app.test_request_context():
        with queries() as small:
            assert len(ConsultationAudience().pending(few, NOW)) == 8
        with queries() as large:
            assert len(ConsultationAudience().pending(many, NOW)) == 32
    assert small.count == large.count <= 3
