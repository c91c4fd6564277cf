"""The cycle's focus areas: the secretariat writes them; an initiative's status is reported by
the secretariat or by the respondents of its lead organisation ("tovholder"). Everyone reads
them on the cycle's public page (the `cycle.public_feed` rule: never a draft cycle)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Initiative, Role
from . import Rule, SystemActor, rule


def _secretariat_or_lead(subject: Any, obj: Any, now: datetime | None) -> bool:
    if isinstance(subject, SystemActor):
        return True  # the demo reports as the system
    if Role.SECRETARIAT in subject.roles_in(obj.region_id):
        return True
    if not isinstance(obj, Initiative):
        return True  # the region as a whole: a lead's respondent may go on to the initiative
    return (obj.lead_organisation_id is not None
            and obj.lead_organisation_id == subject.organisation_id)


RULES: dict[str, Rule] = {
    "focus_area.manage": rule(
        "Skrive cyklussens fokusområder og initiativer med tovholdere",
        Role.SECRETARIAT, system=True),
    "focus_area.report": rule(
        "Melde status på et initiativ: sekretariatet og tovholderens egne besvarere",
        Role.SECRETARIAT, Role.RESPONDENT, system=True, check=_secretariat_or_lead),
}
