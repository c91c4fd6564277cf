"""The workshop (issue 13): setup, invitations, sign-up and the reminders' audience."""

from __future__ import annotations

from ...i18n import gettext as _
from ...permissions import Actor, RegionScope, require


def require_manage(actor: Actor, region_id: int) -> None:
    """The secretariat's operations (setup, invitations, moves) all ask this."""
    require(actor, "workshop.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan tilrettelægge workshops."))
