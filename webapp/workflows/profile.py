"""A person's own settings: the private calendar feed address and how notices are e-mailed.

The feed address carries a secret token (`User.calendar_token`). Making a new one revokes the old
address at once (the column holds one token); deleting it revokes the feed altogether. The token
itself never goes into the audit trail: whoever reads the log must not be able to read the feed.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from ..i18n import gettext as _
from ..models import User
from ..permissions import require
from .base import record

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters, fits String(64)


def _check_self(actor: User, user: User, message: str) -> None:
    require(actor, "profile.edit", user, message=message)


def new_calendar_token(actor: User, user: User, *, now: datetime) -> str:
    """Create the private feed address, or replace it: the old address stops working."""
    _check_self(actor, user, _("Du kan kun lave en kalenderadresse til dig selv."))
    had_one = user.calendar_token is not None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.calendar_token = token
    record(actor=actor, action="calendar_feed.rotated" if had_one else "calendar_feed.created",
           obj=user, now=now, region_id=user.region_id, label=user.email,
           before={"calendar_feed": had_one}, after={"calendar_feed": True})
    return token


def revoke_calendar_token(actor: User, user: User, *, now: datetime) -> bool:
    """Delete the private feed address. The person or the region's secretariat may do it (a
    leaked address). Returns False when there was none (a second click changes nothing)."""
    region_id = user.region_id
    require(actor, "calendar_token.revoke", user,
            message=_("Du kan kun slette din egen kalenderadresse."))
    if user.calendar_token is None:
        return False
    user.calendar_token = None
    record(actor=actor, action="calendar_feed.revoked", obj=user, now=now, region_id=region_id,
           label=user.email, before={"calendar_feed": True}, after={"calendar_feed": False})
    return True


def set_digest_notices(actor: User, user: User, digest: bool, *, now: datetime) -> bool:
    """Non-urgent notices one by one (False) or collected in one e-mail a day (True).

    Deadline reminders, invitations and password links are always sent at once, whatever this
    says. Returns whether anything changed (saving the same choice writes no audit event)."""
    _check_self(actor, user, _("Du kan kun ændre dine egne indstillinger."))
    if bool(user.digest_notices) == digest:
        return False
    before = bool(user.digest_notices)
    user.digest_notices = digest
    record(actor=actor, action="user.notices_changed", obj=user, now=now,
           region_id=user.region_id, label=user.email,
           before={"digest_notices": before}, after={"digest_notices": digest})
    return True
