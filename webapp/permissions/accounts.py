"""People, organisations, the audit trail and a person's own settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Role
from . import Rule, rule


def _self(subject: Any, user: Any, now: datetime | None) -> bool:
    return bool(subject.id == user.id)


def _self_or_secretariat(subject: Any, user: Any, now: datetime | None) -> bool:
    return bool(subject.id == user.id or Role.SECRETARIAT in subject.roles_in(user.region_id))


RULES: dict[str, Rule] = {
    "people.create": rule("Oprette en person med adgangskode (kommandolinjen og demoen)",
                          system=True),
    "people.manage": rule("Invitere personer, give roller og (de)aktivere", Role.SECRETARIAT),
    # The demo and the CLI create the region's organisations as the system.
    "organisation.manage": rule("Oprette og redigere organisationer", Role.SECRETARIAT,
                                system=True),
    "audit.view": rule("Se loggen", Role.SECRETARIAT),
    "profile.edit": rule("Ændre egne indstillinger og egen kalenderadresse", signed_in=True,
                         check=_self),
    # A leaked address can be closed by the secretariat too.
    "calendar_token.revoke": rule("Slette en kalenderadresse", signed_in=True,
                                  check=_self_or_secretariat),
    # Asked about the token's owner: the owner, or the secretariat when a token has leaked.
    "api_token.revoke": rule("Tilbagekalde en API-nøgle", signed_in=True,
                             check=_self_or_secretariat),
}
