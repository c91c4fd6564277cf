"""Agreement texts: the secretariat writes, imports, versions and freezes them; everybody signed in
in the region reads them (a text is not secret inside the region, and a consultation shows its
frozen version anyway). The object is the text's cycle: a draft cycle is the secretariat's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Cycle, CycleState, Role
from . import Rule, rule


def _draft_only_for_secretariat(subject: Any, obj: Any, now: datetime | None) -> bool:
    if not isinstance(obj, Cycle) or obj.state != CycleState.DRAFT:
        return True
    return Role.SECRETARIAT in subject.roles_in(obj.region_id)


RULES: dict[str, Rule] = {
    # The demo writes its texts as the system.
    "agreement.manage": rule(
        "Oprette, importere, redigere og fastfryse aftaletekster og deres versioner",
        Role.SECRETARIAT, system=True),
    "agreement.read": rule("Læse aftaletekster, deres versioner og forskellene mellem dem",
                           signed_in=True, check=_draft_only_for_secretariat),
}
