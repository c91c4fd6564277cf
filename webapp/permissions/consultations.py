"""The consultation ("høring"): the secretariat prepares and opens it; the invited parties'
people read it, and a named external party reads it through its personal signed link."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import Consultation, ConsultationState, Role
from . import Rule, rule


@dataclass(frozen=True)
class LinkAccess:
    """A visitor holding personal links (party ids proven by a signed token and kept in the
    session) asking to read a consultation: the object of "consultation.view_by_link"."""

    consultation: Consultation
    party_ids: Collection[int]

    @property
    def region_id(self) -> int:
        return self.consultation.region_id


def _secretariat_or_invited(subject: Any, consultation: Consultation,
                            now: datetime | None) -> bool:
    """The secretariat always; an organisation's people once the consultation is opened and
    their organisation is on the list (the loader loads the parties)."""
    if not isinstance(consultation, Consultation):
        return Role.SECRETARIAT in subject.roles_in(consultation.region_id)
    if Role.SECRETARIAT in subject.roles_in(consultation.region_id):
        return True
    return bool(consultation.state == ConsultationState.OPENED
                and subject.organisation_id is not None
                and any(p.organisation_id == subject.organisation_id
                        for p in consultation.parties))


def _holds_link(subject: Any, target: LinkAccess, now: datetime | None) -> bool:
    consultation = target.consultation
    return bool(consultation.state == ConsultationState.OPENED
                and any(p.id in target.party_ids and p.organisation_id is None
                        for p in consultation.parties))


RULES: dict[str, Rule] = {
    # The demo builds its consultation as the system.
    "consultation.manage": rule(
        "Oprette, redigere og åbne høringer, høringslisten og fristforlængelser",
        Role.SECRETARIAT, system=True),
    "consultation.view": rule(
        "Se en høring: sekretariatet alle, en inviteret organisations personer dens egne",
        signed_in=True, check=_secretariat_or_invited),
    # An external party has no account: its signed personal link is its access.
    "consultation.view_by_link": rule(
        "Se en høring gennem en ekstern høringsparts personlige link", public=True,
        check=_holds_link),
}
