"""Who is still pending for a milestone: the interface every workflow with deadlines implements.

The reminder pass asks each milestone kind's audience for the parties that have not yet
delivered, in one batch for many milestones and with a fixed number of queries. Questionnaires
implement it now; approvals, consultations and boards plug in the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..models import Milestone, MilestoneKind, Organisation, User


@dataclass
class PendingParty:
    """An organisation that still owes something, with its own deadline (an extension moves it)
    and the people to remind."""

    milestone_id: int
    organisation: Organisation
    deadline: datetime
    recipients: list[User] = field(default_factory=list)
    what: str = ""  # e.g. the questionnaire's title, for the e-mail
    link: str = ""  # a path on the site where the party delivers


class Audience(Protocol):
    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingParty]:
        """Parties still pending for these milestones."""
        ...


_AUDIENCES: dict[MilestoneKind, Audience] = {}


def register(kind: MilestoneKind, audience: Audience) -> None:
    _AUDIENCES[kind] = audience


def audience_for(kind: MilestoneKind) -> Audience | None:
    return _AUDIENCES.get(kind)


def pending(milestones: Sequence[Milestone], now: datetime) -> list[PendingParty]:
    """Everybody pending for these milestones, asking each kind's audience once."""
    by_kind: dict[MilestoneKind, list[Milestone]] = {}
    for milestone in milestones:
        by_kind.setdefault(milestone.kind, []).append(milestone)
    parties: list[PendingParty] = []
    for kind, group in by_kind.items():
        audience = _AUDIENCES.get(kind)
        if audience is not None:
            parties.extend(audience.pending(group, now))
    return parties
