"""Scoped loaders for council approvals: another region's round or record, a record of
another party (for its respondents), or one that does not exist, are all a 404."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import ApprovalRound, CouncilApproval, Cycle, StoredFile
from ...permissions import can
from ..cycles import scoped_cycle_or_404


def round_of_cycle(cycle: Cycle) -> ApprovalRound | None:
    """The cycle's round with its records, its milestone and its text version (two queries)."""
    round_ = db.session.scalar(
        select(ApprovalRound).where(ApprovalRound.cycle_id == cycle.id)
        .options(joinedload(ApprovalRound.milestone), joinedload(ApprovalRound.text_version),
                 selectinload(ApprovalRound.approvals)))
    if round_ is not None:
        set_committed_value(round_, "cycle", cycle)
        for approval in round_.approvals:
            set_committed_value(approval, "round", round_)
    return round_


def scoped_round_or_404(cycle_id: int, user: Any) -> ApprovalRound:
    """The round of a cycle of the person's region that they may see."""
    cycle = scoped_cycle_or_404(cycle_id, user)
    round_ = round_of_cycle(cycle)
    if round_ is None or not can(user, "approval.view", round_):
        abort(404)
    return round_


def scoped_approval_or_404(approval_id: int, user: Any) -> CouncilApproval:
    """One party's record in a round of the person's region: the secretariat any, a party's
    respondent only their own (another party's is a 404, not a 403)."""
    approval = db.session.scalar(
        select(CouncilApproval)
        .join(ApprovalRound, ApprovalRound.id == CouncilApproval.round_id)
        .join(Cycle, Cycle.id == ApprovalRound.cycle_id)
        .where(CouncilApproval.id == approval_id, Cycle.region_id == user.region_id)
        .options(joinedload(CouncilApproval.round).joinedload(ApprovalRound.cycle),
                 joinedload(CouncilApproval.round).joinedload(ApprovalRound.milestone),
                 joinedload(CouncilApproval.round).joinedload(ApprovalRound.text_version),
                 joinedload(CouncilApproval.minutes_file)))
    if approval is None or not can(user, "approval.view", approval):
        abort(404)
    if not can(user, "cycle.view", approval.round.cycle):
        abort(404)
    return approval


def minutes_or_404(approval_id: int) -> StoredFile:
    """The uploaded minutes of a record, for anyone: a council's minutes are public documents.
    A record without an uploaded file is a 404."""
    stored = db.session.scalar(
        select(StoredFile).join(CouncilApproval, CouncilApproval.minutes_file_id == StoredFile.id)
        .join(ApprovalRound, ApprovalRound.id == CouncilApproval.round_id)
        .join(Cycle, Cycle.id == ApprovalRound.cycle_id)
        .where(CouncilApproval.id == approval_id))
    if stored is None:
        abort(404)
    return stored
