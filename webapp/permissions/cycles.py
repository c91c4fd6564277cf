"""Cycles and milestones: everybody in the region reads them, the secretariat runs them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import CycleState, Role
from . import Rule, rule


def _published(subject: Any, cycle: Any, now: datetime | None) -> bool:
    return bool(cycle.state != CycleState.DRAFT)


RULES: dict[str, Rule] = {
    "region.administer": rule("Sekretariatets menuer og oversigter", Role.SECRETARIAT),
    "cycle.view": rule("Se cyklusser, milepæle og tidslinje", signed_in=True),
    "cycle.manage": rule("Oprette, redigere, åbne, lukke og kopiere cyklusser og milepæle",
                         Role.SECRETARIAT),
    # The public calendar feed of a cycle's public milestones: no login, but never a draft.
    "cycle.public_feed": rule("Den offentlige kalender for en cyklus", public=True,
                              check=_published),
}
