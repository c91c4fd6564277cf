"""The workshop: the secretariat sets it up, invites and follows the sign-up; an invited person
reads the workshop page and signs up, with an account or through a signed personal link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import Role, Workshop, WorkshopInvitee
from . import Rule, rule


@dataclass(frozen=True)
class InviteeGuest:
    """A visitor without an account holding an invitee's personal link: the actor of their
    own sign-up, audited under the invitee's name."""

    name: str
    id: None = None
    is_authenticated: bool = False
    is_anonymous: bool = True
    is_active: bool = False

    def roles_in(self, region_id: int) -> set[Role]:
        return set()


@dataclass(frozen=True)
class Attendance:
    """A person asking about a workshop together with their own invitation (None: not
    invited). `by_link`: the invitation was proven by a signed personal link, not by signing
    in. The object of "workshop.view" and "workshop.signup" for anyone but the secretariat."""

    workshop: Workshop
    invitee: WorkshopInvitee | None
    by_link: bool = False

    @property
    def region_id(self) -> int:
        return self.workshop.region_id


def _secretariat(subject: Any, region_id: int) -> bool:
    return bool(getattr(subject, "is_authenticated", False)
                and Role.SECRETARIAT in subject.roles_in(region_id))


def _invited(target: Any) -> WorkshopInvitee | None:
    if not isinstance(target, Attendance):
        return None
    invitee = target.invitee
    if invitee is None or invitee.workshop_id != target.workshop.id:
        return None
    return invitee


def _secretariat_or_invited(subject: Any, target: Any, now: datetime | None) -> bool:
    if _secretariat(subject, target.region_id):
        return True
    invitee = _invited(target)
    return invitee is not None and invitee.user_id == subject.id


def _own_signup(subject: Any, target: Any, now: datetime | None) -> bool:
    """Their own invitation only: a person's own when signed in (in the workshop's region), an
    address's through its link (the link is the access, whoever holds it)."""
    invitee = _invited(target)
    if invitee is None:
        return False
    if target.by_link:
        return invitee.user_id is None
    return bool(getattr(subject, "is_authenticated", False)
                and invitee.user_id == subject.id and subject.region_id == target.region_id)


RULES: dict[str, Rule] = {
    # The demo builds its workshop as the system.
    "workshop.manage": rule(
        "Oprette og redigere workshops, invitere, flytte deltagere og lukke temaer",
        Role.SECRETARIAT, system=True),
    "workshop.view": rule(
        "Se en workshop: sekretariatet, og de inviterede deres egen",
        signed_in=True, check=_secretariat_or_invited),
    # A person without an account has no login: the signed personal link is the access.
    "workshop.signup": rule(
        "Tilmelde sig en workshop: den inviterede selv, også gennem sit personlige link",
        public=True, check=_own_signup),
}
