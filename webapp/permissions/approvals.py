"""Council approvals: the secretariat runs the round (opens it, changes its parties and its
text version, corrects a recorded decision, records for a party); a party's own respondents
record their own council's meeting and decision while it is undecided; the secretariat and
the respondents of every party in the round see the round's pages. The public page needs no
permission (it never shows the internal note)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..models import ApprovalRound, ApprovalState, CouncilApproval, Role
from . import Rule, rule

# The states a party may still write in: its council has not decided yet.
UNDECIDED = frozenset({ApprovalState.PENDING, ApprovalState.SCHEDULED,
                       ApprovalState.POSTPONED})


def _secretariat(subject: Any, obj: Any) -> bool:
    return Role.SECRETARIAT in subject.roles_in(obj.region_id)


def _in_round(round_: ApprovalRound, organisation_id: int) -> bool:
    """Whether the organisation is a party of the round, from the loaded list when there is
    one (the loaders load it), else asked of the database."""
    if "approvals" in round_.__dict__:
        return any(a.organisation_id == organisation_id for a in round_.approvals)
    session = object_session(round_)
    if session is None:
        return False
    return session.scalar(select(CouncilApproval.id).where(
        CouncilApproval.round_id == round_.id,
        CouncilApproval.organisation_id == organisation_id).limit(1)) is not None


def _secretariat_or_party(subject: Any, obj: Any, now: datetime | None) -> bool:
    """The secretariat always; a respondent a round its organisation is a party of, and only
    its own party's record (another party's record is not theirs to see: a 404). Asked about
    the region as a whole (a view's first check), a respondent may go on to the object."""
    if _secretariat(subject, obj):
        return True
    organisation_id = subject.organisation_id
    if organisation_id is None:
        return False
    if isinstance(obj, CouncilApproval):
        return obj.organisation_id == organisation_id
    if isinstance(obj, ApprovalRound):
        return _in_round(obj, organisation_id)
    return True


def _own_undecided_or_secretariat(subject: Any, obj: Any, now: datetime | None) -> bool:
    """The secretariat always; a respondent only its own council's record, and only while the
    council has not decided (a recorded decision is corrected by the secretariat)."""
    if _secretariat(subject, obj):
        return True
    if not isinstance(obj, CouncilApproval):
        return subject.organisation_id is not None
    return (obj.organisation_id == subject.organisation_id
            and ApprovalState(obj.state) in UNDECIDED)


RULES: dict[str, Rule] = {
    # The demo opens its round as the system, like its texts and its consultation.
    "approval.manage": rule(
        "Åbne og ændre godkendelsesrunden, rette beslutninger, registrere for en part og se "
        "interne noter", Role.SECRETARIAT, system=True),
    "approval.record": rule(
        "Registrere eget råds mødedato og beslutning, så længe rådet ikke har besluttet",
        Role.SECRETARIAT, Role.RESPONDENT, check=_own_undecided_or_secretariat),
    "approval.view": rule(
        "Se godkendelsesrunden: sekretariatet alt, en parts besvarere egen parts side",
        Role.SECRETARIAT, Role.RESPONDENT, check=_secretariat_or_party),
}
