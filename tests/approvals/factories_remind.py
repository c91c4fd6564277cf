"""Approval rounds and records made directly with the models, for the reminder and dashboard
tests (the workflows that open rounds and record decisions are tested on their own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    ApprovalRound,
    ApprovalState,
    CouncilApproval,
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    TextVersion,
)

DEADLINE = (2017, 10, 15, 23, 59)


def approval_milestone(cycle: Cycle, title: str = "Politisk godkendelse",
                       audience: list[str] | None = None) -> Milestone:
    return f.milestone(cycle, f.at(*DEADLINE), kind=MilestoneKind.APPROVAL, title=title,
                       starts_at=f.at(2017, 8, 15, 8, 0), audience=audience)


def final_version(cycle: Cycle) -> TextVersion:
    text = AgreementText(cycle_id=cycle.id, title=f"Rammeaftale {cycle.id}", position=0,
                         created_at=datetime.now(UTC))
    db.session.add(text)
    db.session.flush()
    version = TextVersion(text_id=text.id, number=1, label="Endelig", is_final=True,
                          created_at=datetime.now(UTC), frozen_at=datetime.now(UTC))
    db.session.add(version)
    db.session.flush()
    return version


def approval_round(cycle: Cycle, parties: Sequence[Organisation],
                   milestone: Milestone | None = None) -> ApprovalRound:
    """A round on a final version with one pending record per party."""
    milestone = milestone or approval_milestone(cycle)
    round_ = ApprovalRound(cycle_id=cycle.id, milestone_id=milestone.id,
                           text_version_id=final_version(cycle).id,
                           opened_at=f.at(2017, 8, 15, 9, 0))
    db.session.add(round_)
    db.session.flush()
    for org in parties:
        db.session.add(CouncilApproval(round_id=round_.id, organisation_id=org.id,
                                       party_name=org.name,
                                       council_name=org.council_name or f"{org.name} Råd",
                                       state=ApprovalState.PENDING))
    db.session.flush()
    return round_


def record_of(round_: ApprovalRound, org: Organisation) -> CouncilApproval:
    return db.session.scalars(select(CouncilApproval).where(
        CouncilApproval.round_id == round_.id, CouncilApproval.organisation_id == org.id)).one()


def schedule(record: CouncilApproval, meeting: date,
             state: ApprovalState = ApprovalState.SCHEDULED) -> CouncilApproval:
    record.state = state
    record.meeting_date = meeting
    record.meeting_body = record.council_name
    db.session.flush()
    return record


def decide(record: CouncilApproval, decided_on: date,
           state: ApprovalState = ApprovalState.APPROVED) -> CouncilApproval:
    record.state = state
    record.decided_on = decided_on
    record.meeting_date = record.meeting_date or decided_on
    record.minutes_url = "https://kommune.example/protokol.pdf"
    record.recorded_at = f.at(decided_on.year, decided_on.month, decided_on.day, 16, 0)
    record.recorded_by_name = "Test"
    db.session.flush()
    return record
