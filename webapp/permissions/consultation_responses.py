"""Consultation responses: who writes a party's response, and who reads responses when.

A party on the list of an opened consultation answers through its people (respondents and user
organisations' representatives of its organisation) or, for an external party without an
account, through a visitor who proved the party's signed personal link (`PartyGuest`).
Another party's response is hidden until the deadline; then every submitted response is
published to the invited parties or to everyone, as the consultation says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..models import (
    Consultation,
    ConsultationParty,
    ConsultationState,
    Publication,
    Role,
    User,
)
from . import Rule, rule

# The roles that write their organisation's response.
RESPONDING_ROLES = frozenset({Role.RESPONDENT, Role.USER_ORG_REP})


@dataclass(frozen=True)
class PartyGuest:
    """A visitor without an account who proved one or more parties' personal links (kept in
    the session as `consultation_parties`). Audited under the party's name."""

    party_ids: frozenset[int] = field(default_factory=frozenset)
    name: str = "Ekstern part"
    id: None = None
    email: str = ""
    is_authenticated: bool = False
    is_anonymous: bool = True
    is_active: bool = False

    def roles_in(self, region_id: int) -> set[Role]:
        return set()


@dataclass(frozen=True)
class ResponsesOf:
    """The object of "consultation.read_responses": the published responses of a consultation
    (`party` None), or one party's response (its attachments follow it)."""

    consultation: Consultation
    invited_organisations: frozenset[int]
    invited_parties: frozenset[int]
    party: ConsultationParty | None = None
    submitted: bool = True

    @property
    def region_id(self) -> int:
        return self.consultation.region_id


def _signed_in_here(subject: Any, region_id: int) -> bool:
    return isinstance(subject, User) and subject.region_id == region_id


def is_own_party(subject: Any, party: ConsultationParty, region_id: int) -> bool:
    """The subject speaks for `party`: its organisation's responding people, or a guest who
    proved the party's link."""
    if isinstance(subject, PartyGuest):
        return party.id in subject.party_ids
    return bool(_signed_in_here(subject, region_id)
                and party.organisation_id is not None
                and subject.organisation_id == party.organisation_id
                and subject.roles_in(region_id) & RESPONDING_ROLES)


def _may_respond(subject: Any, party: ConsultationParty, now: datetime | None) -> bool:
    # The rule is public (a guest has no account), so the region is checked here.
    return (party.consultation.state == ConsultationState.OPENED
            and is_own_party(subject, party, party.region_id))


def _is_invited(subject: Any, target: ResponsesOf) -> bool:
    if isinstance(subject, PartyGuest):
        return bool(subject.party_ids & target.invited_parties)
    return bool(_signed_in_here(subject, target.region_id)
                and subject.organisation_id in target.invited_organisations)


def _may_read(subject: Any, target: ResponsesOf, now: datetime | None) -> bool:
    region_id = target.region_id
    if _signed_in_here(subject, region_id) and Role.SECRETARIAT in subject.roles_in(region_id):
        return True
    if target.consultation.state != ConsultationState.OPENED:
        return False
    if target.party is not None and is_own_party(subject, target.party, region_id):
        return True
    # Published: submitted responses, once the deadline has passed (no clock, no publication).
    if not target.submitted or now is None or now <= target.consultation.deadline:
        return False
    if target.consultation.publication == Publication.PUBLIC:
        return True
    return _is_invited(subject, target)


RULES: dict[str, Rule] = {
    # Public, because an external party answers without an account; the check narrows it to
    # the party's own people (or the guest holding its link) on an opened consultation.
    "consultation.respond": rule(
        "Skrive og indsende sin egen parts høringssvar (også ekstern part via personligt link)",
        public=True, check=_may_respond),
    "consultation.read_responses": rule(
        "Læse høringssvar: sekretariatet altid, en part sit eget, efter fristen de inviterede "
        "eller alle", public=True, check=_may_read),
}
