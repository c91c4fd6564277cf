"""Cycles and milestones: everybody in the region reads them, the secretariat runs them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Cycle, CycleState, Role
from . import Rule, rule


def _published(subject: Any, cycle: Any, now: datetime | None) -> bool:
    return bool(cycle.state != CycleState.DRAFT)


def _draft_only_for_secretariat(subject: Any, obj: Any, now: datetime | None) -> bool:
    """A draft is the secretariat's until it is opened; the region as a whole is everybody's."""
    if not isinstance(obj, Cycle) or obj.state != CycleState.DRAFT:
        return True
    return Role.SECRETARIAT in subject.roles_in(obj.region_id)


RULES: dict[str, Rule] = {
    "region.administer": rule("Sekretariatets menuer og oversigter", Role.SECRETARIAT),
    "cycle.view": rule("Se cyklusser, milepæle og tidslinje (en kladde kun sekretariatet)",
                       signed_in=True, check=_draft_only_for_secretariat),
    "cycle.manage": rule("Oprette, redigere, åbne, lukke og kopiere cyklusser og milepæle",
                         Role.SECRETARIAT),
    # The public calendar feed of a cycle's public milestones: no login, but never a draft.
    "cycle.public_feed": rule("Den offentlige kalender for en cyklus", public=True,
                              check=_published),
}
