"""Approval rounds written directly with the models, for the read side's tests (overview, public
page, API, calendar): a region's municipalities and the region organisation with council names,
a cycle with an approval milestone, a frozen final text version, a round and one record per
party in chosen states."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    ApprovalRound,
    ApprovalState,
    ApprovalVersionChange,
    CouncilApproval,
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    Region,
    TextSection,
    TextVersion,
)

S = ApprovalState
_seq = itertools.count(1)
DEADLINE = (2017, 10, 15, 23, 59)  # 15 October, as the agreement's rules say
OPENED = (2017, 9, 18, 9, 0)


@dataclass
class RoundSetup:
    region: Region
    cycle: Cycle
    milestone: Milestone
    version: TextVersion
    round: ApprovalRound
    parties: list[Organisation]  # municipalities first, the region last
    approvals: list[CouncilApproval]  # in the same order


def final_version(cycle: Cycle, title: str = "Rammeaftale 2018") -> TextVersion:
    text = AgreementText(cycle_id=cycle.id, title=title, position=0,
                         created_at=datetime.now(UTC))
    db.session.add(text)
    db.session.flush()
    version = TextVersion(text_id=text.id, number=1, label="Endelig", is_final=True,
                          created_at=datetime.now(UTC), frozen_at=datetime.now(UTC))
    version.sections = [TextSection(key="s1", position=0, level=1, heading="Indledning",
                                    body="Tekst.")]
    db.session.add(version)
    db.session.flush()
    return version


def _fill(a: CouncilApproval, state: ApprovalState, n: int) -> None:
    """Realistic fields for the state: a meeting for every state but "afventer", a decision
    with minutes for the decided ones."""
    a.state = state
    if state == S.PENDING:
        return
    a.meeting_date = date(2017, 9, 20 + n % 10)
    a.meeting_body = a.council_name
    a.agenda_url = f"https://dagsorden.example/{a.organisation_id}"
    if state in (S.APPROVED, S.APPROVED_WITH_REMARKS, S.REJECTED):
        a.decided_on = a.meeting_date
        a.minutes_url = f"https://referat.example/{a.organisation_id}.pdf"
        a.recorded_at = f.at(2017, 9, 30, 10, 0)
        a.recorded_by_name = "Sekretær Hansen"
    if state == S.APPROVED_WITH_REMARKS:
        a.remarks = "Byrådet ønsker takstudviklingen fulgt tæt."
    if state == S.REJECTED:
        a.rejection_reason = "Byrådet kan ikke tiltræde taksterne."
    if state == S.POSTPONED:
        a.meeting_date = date(2017, 10, 25)  # after the deadline


def round_on(cycle: Cycle, parties: Sequence[Organisation],
             states: Sequence[ApprovalState] = (), *, commit: bool = True) -> RoundSetup:
    """A round on `cycle` (a new approval milestone and frozen final version) with one record
    per party; `states` gives each party's state in that order (the rest "afventer")."""
    milestone = f.milestone(cycle, f.at(*DEADLINE), MilestoneKind.APPROVAL,
                            title="Godkendelse i byråd og regionsråd", starts_at=f.at(*OPENED))
    version = final_version(cycle)
    the_round = ApprovalRound(cycle_id=cycle.id, milestone_id=milestone.id,
                              text_version_id=version.id, opened_at=f.at(*OPENED))
    db.session.add(the_round)
    db.session.flush()
    approvals = []
    for i, org in enumerate(parties):
        a = CouncilApproval(round_id=the_round.id, organisation_id=org.id, party_name=org.name,
                            council_name=org.council_name or org.name, meeting_body="",
                            agenda_url="", remarks="", rejection_reason="", minutes_url="",
                            recorded_by_name="", internal_note="", on_behalf=False)
        _fill(a, states[i] if i < len(states) else S.PENDING, i)
        db.session.add(a)
        approvals.append(a)
    db.session.flush()
    if commit:
        db.session.commit()
    region = db.session.get(Region, cycle.region_id)
    assert region is not None
    return RoundSetup(region, cycle, milestone, version, the_round, list(parties), approvals)


def approval_round(*, municipalities: int = 11, states: Sequence[ApprovalState] = (),
                   region: Region | None = None, cycle: Cycle | None = None,
                   include: Sequence[Organisation] = (), commit: bool = True,
                   **cycle_kw: Any) -> RoundSetup:
    """A round with `municipalities` new municipalities (plus `include`, e.g. the world's own
    municipality, counted among them) and a new region organisation, last."""
    region = region or f.region()
    cycle = cycle or f.cycle(region, **cycle_kw)
    n = next(_seq)
    orgs = list(include) + [
        f.organisation(region, OrgKind.MUNICIPALITY, f"Kommune {n}-{i:02d}")
        for i in range(municipalities - len(include))]
    orgs.append(f.organisation(region, OrgKind.REGION, f"Region {n}"))
    return round_on(cycle, orgs, states, commit=commit)


def version_change(setup: RoundSetup, *, stand: bool, reason: str) -> ApprovalVersionChange:
    """A new final version after decisions: the secretariat's recorded choice."""
    new = TextVersion(text_id=setup.version.text_id, number=2, label="Endelig 2", is_final=True,
                      created_at=datetime.now(UTC), frozen_at=datetime.now(UTC))
    db.session.add(new)
    db.session.flush()
    change = ApprovalVersionChange(round_id=setup.round.id, from_version_id=setup.version.id,
                                   to_version_id=new.id, approvals_stand=stand, reason=reason,
                                   decided_at=f.at(2017, 10, 1, 9, 0))
    db.session.add(change)
    db.session.commit()
    return change
