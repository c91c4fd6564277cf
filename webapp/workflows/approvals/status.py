"""The agreement's status, computed from the councils' decisions and never stored.

Pure: it takes the states of a round's records and says "I kraft fra 1. januar <year>",
"Ikke godkendt" or "N af M godkendt". The overview, the public page, the API and the workflow
that sends the "in force" e-mail all ask it, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ...i18n import gettext as _
from ...models import ApprovalState

APPROVING = frozenset({ApprovalState.APPROVED, ApprovalState.APPROVED_WITH_REMARKS})
DECIDED = APPROVING | {ApprovalState.REJECTED}

StatusKind = Literal["in_force", "rejected", "in_progress"]


@dataclass(frozen=True)
class AgreementStatus:
    kind: StatusKind
    approved: int  # councils that approved (with or without remarks)
    total: int  # councils in the round
    in_force_year: int  # the year the agreement takes effect (1 January)

    @property
    def in_force(self) -> bool:
        return self.kind == "in_force"

    @property
    def label(self) -> str:
        if self.kind == "in_force":
            return _("I kraft fra 1. januar %(year)s", year=self.in_force_year)
        if self.kind == "rejected":
            return _("Ikke godkendt")
        return _("%(approved)s af %(total)s godkendt", approved=self.approved, total=self.total)


def agreement_status(states: Iterable[ApprovalState], first_year: int) -> AgreementStatus:
    """The status of a round whose records are in `states`; `first_year` is the cycle's first
    year (the agreement is in force from 1 January of it). A round without records is in
    progress, never in force."""
    states = list(states)
    approved = sum(1 for s in states if s in APPROVING)
    if any(s == ApprovalState.REJECTED for s in states):
        kind: StatusKind = "rejected"
    elif states and approved == len(states):
        kind = "in_force"
    else:
        kind = "in_progress"
    return AgreementStatus(kind, approved, len(states), first_year)
