"""Rows an approval round needs (a frozen final text version, an approval milestone, parties
with councils) and a round opened through the workflow. ap-core's own factories."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    ApprovalRound,
    CouncilApproval,
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    Role,
    TextSection,
    TextVersion,
    User,
)
from webapp.workflows.approvals import rounds

_seq = itertools.count(1)
OPENED = (2017, 9, 15, 10, 0)  # the round opens; the councils meet from the 18th
DEADLINE = (2017, 10, 15, 23, 59)


def final_version(cycle: Cycle, *, frozen: bool = True, label: str = "Endelig",
                  text: AgreementText | None = None) -> TextVersion:
    if text is None:
        text = AgreementText(cycle_id=cycle.id, title=f"Godkendelsestekst {next(_seq)}", position=0,
                             created_at=datetime.now(UTC))
        db.session.add(text)
        db.session.flush()
    number = next(_seq)
    version = TextVersion(text_id=text.id, number=number, label=label, is_final=True,
                          created_at=datetime.now(UTC),
                          frozen_at=datetime.now(UTC) if frozen else None)
    version.sections = [TextSection(key="s1", position=0, level=1, heading="Indledning",
                                    body="Tekst.")]
    db.session.add(version)
    db.session.flush()
    return version


def approval_milestone(cycle: Cycle) -> Milestone:
    return f.milestone(cycle, f.at(*DEADLINE), MilestoneKind.APPROVAL,
                       title="Godkendelse i alle råd", starts_at=f.at(2017, 9, 18, 8, 0))


@dataclass
class Scene:
    """A region's round: its cycle, the parties (the world's municipality, a second one and
    the region) and each party's respondent."""

    cycle: Cycle
    round: ApprovalRound
    version: TextVersion
    milestone: Milestone
    secretariat: User
    parties: dict[str, Organisation]
    respondents: dict[str, User]

    def fresh(self) -> ApprovalRound:
        """The round as stored now, with its records and cycle (as the loaders give it)."""
        found = db.session.scalar(
            select(ApprovalRound).where(ApprovalRound.id == self.round.id)
            .options(joinedload(ApprovalRound.cycle), joinedload(ApprovalRound.milestone),
                     joinedload(ApprovalRound.text_version),
                     selectinload(ApprovalRound.approvals))
            .execution_options(populate_existing=True))
        assert found is not None
        for approval in found.approvals:
            set_committed_value(approval, "round", found)
        self.round = found
        return found

    def approval(self, party: str) -> CouncilApproval:
        """The party's record as stored now, its round and cycle loaded."""
        org_id = self.parties[party].id
        return next(a for a in self.fresh().approvals if a.organisation_id == org_id)


def scene(world: dict[str, Any], region: str = "north", *, extra: int = 1) -> Scene:
    """A round opened at OPENED on the region's cycle with three parties: "kommune" (the
    world's municipality, whose respondent is the world's), "anden" (another municipality),
    "region" (the region); `extra` more municipalities make it larger."""
    w = world[region]
    cycle = w["cycle"]
    version = final_version(cycle)
    milestone = approval_milestone(cycle)
    parties = {"kommune": w["municipality"],
               "anden": f.organisation(w["region"], OrgKind.MUNICIPALITY,
                                       f"Anden Kommune {region}"),
               "region": f.organisation(w["region"], OrgKind.REGION, f"Region {region} (part)")}
    for n in range(extra - 1):
        parties[f"ekstra{n}"] = f.organisation(w["region"], OrgKind.MUNICIPALITY)
    respondents = {"kommune": w["users"][Role.RESPONDENT],
                   "anden": f.user(parties["anden"], [Role.RESPONDENT]),
                   "region": f.user(parties["region"], [Role.RESPONDENT])}
    secretariat = w["users"][Role.SECRETARIAT]
    round_ = rounds.open_round(secretariat, cycle, text_version=version, milestone=milestone,
                               organisations=list(parties.values()), now=f.at(*OPENED))
    db.session.commit()
    return Scene(cycle, round_, version, milestone, secretariat, parties, respondents)
