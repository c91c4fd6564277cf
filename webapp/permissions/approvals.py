"""Council approvals: who reads the round.

# ap-core owns this: a minimal stand-in so the read side (overview, public page, API) can ask
# its questions before ap-core's rules are merged; the merge keeps ap-core's version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import ApprovalRound, CouncilApproval, Role
from . import Rule, rule


def _party_in_round(subject: Any, obj: Any, now: datetime | None) -> bool:
    """The secretariat always; a respondent only of a party in the round (its records must be
    loaded). Asked about the region as a whole (the view's first gate) it is yes: the round is
    asked again once loaded."""
    if Role.SECRETARIAT in subject.roles_in(obj.region_id):
        return True
    if isinstance(obj, ApprovalRound):
        return any(a.organisation_id == subject.organisation_id for a in obj.approvals)
    if isinstance(obj, CouncilApproval):
        return bool(obj.organisation_id == subject.organisation_id)
    return True


RULES: dict[str, Rule] = {  # ap-core owns this
    "approval.manage": rule("Åbne og rette godkendelsesrunden, se interne noter",
                            Role.SECRETARIAT),
    "approval.view": rule("Se godkendelsesoversigten (sekretariatet og parternes respondenter)",
                          Role.SECRETARIAT, Role.RESPONDENT, check=_party_in_round),
}
