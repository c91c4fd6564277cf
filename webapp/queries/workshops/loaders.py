"""Scoped loaders of workshops, their themes and invitees: another region's, or one the person
may not see, is a 404 like an unknown id."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import (
    Cycle,
    User,
    Workshop,
    WorkshopInvitee,
    WorkshopSession,
    WorkshopTheme,
)
from ...permissions import can, is_secretariat
from ...permissions.workshops import Attendance
from ...security import read_link_token
from ...workflows.workshops import sessions_with_themes
from ...workflows.workshops.invitations import LINK_MAX_AGE, LINK_PURPOSE


def _workshop_query() -> Any:
    return select(Workshop).options(joinedload(Workshop.cycle), joinedload(Workshop.milestone))


def own_invitee(workshop: Workshop, user: Any) -> WorkshopInvitee | None:
    """The signed-in person's own invitation to the workshop, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    invitee = db.session.scalar(select(WorkshopInvitee).where(
        WorkshopInvitee.workshop_id == workshop.id, WorkshopInvitee.user_id == user.id))
    if invitee is not None:
        set_committed_value(invitee, "workshop", workshop)
    return invitee


def attendance(workshop: Workshop, user: Any) -> Attendance:
    """The object of "workshop.view"/"workshop.signup": the secretariat needs no invitation."""
    invitee = None if is_secretariat(user, workshop.region_id) else own_invitee(workshop, user)
    return Attendance(workshop, invitee)


def scoped_workshop_or_404(workshop_id: int, user: Any, action: str = "workshop.view") -> Workshop:
    workshop = db.session.scalar(_workshop_query().join(Cycle, Cycle.id == Workshop.cycle_id)
                                 .where(Workshop.id == workshop_id,
                                        Cycle.region_id == user.region_id))
    if workshop is None or not can(user, action, attendance(workshop, user)):
        abort(404)
    return workshop


def session_or_404(workshop: Workshop, session_id: int) -> WorkshopSession:
    session = next((s for s in sessions_with_themes(workshop) if s.id == session_id), None)
    if session is None:
        abort(404)
    return session


def theme_or_404(workshop: Workshop, theme_id: int) -> WorkshopTheme:
    theme = next((t for s in sessions_with_themes(workshop) for t in s.themes
                  if t.id == theme_id), None)
    if theme is None:
        abort(404)
    return theme


def invitee_or_404(workshop: Workshop, invitee_id: int | None) -> WorkshopInvitee:
    invitee = db.session.scalar(select(WorkshopInvitee).where(
        WorkshopInvitee.id == invitee_id, WorkshopInvitee.workshop_id == workshop.id))
    if invitee is None:
        abort(404)
    set_committed_value(invitee, "workshop", workshop)
    return invitee


def invitee_for_token(token: str) -> WorkshopInvitee | None:
    """The invitee a personal link names, if the link is genuine, not expired and its nonce is
    still the invitee's own; with its workshop loaded."""
    data = read_link_token(LINK_PURPOSE, token, LINK_MAX_AGE)
    if data is None or not isinstance(data["u"], int) or not isinstance(data["n"], str):
        return None
    invitee = db.session.scalar(select(WorkshopInvitee).where(
        WorkshopInvitee.id == data["u"], WorkshopInvitee.access_nonce == data["n"],
        WorkshopInvitee.user_id.is_(None)))
    if invitee is None:
        return None
    workshop = db.session.scalar(_workshop_query().where(Workshop.id == invitee.workshop_id))
    set_committed_value(invitee, "workshop", workshop)
    return invitee


def cycle_workshops(cycle: Cycle, user: Any) -> list[Workshop]:
    """The cycle's workshops the person may see (the secretariat all; others their own)."""
    workshops = list(db.session.scalars(_workshop_query().where(Workshop.cycle_id == cycle.id)
                                        .order_by(Workshop.id)))
    if is_secretariat(user, cycle.region_id):
        return workshops
    invited = set(db.session.scalars(select(WorkshopInvitee.workshop_id).where(
        WorkshopInvitee.user_id == user.id)))
    return [w for w in workshops if w.id in invited]


def region_people(region_id: int) -> list[User]:
    """Active people of the region, for the facilitator and invitation choices (one query)."""
    from ...models import Organisation

    return list(db.session.scalars(
        select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.region_id == region_id, User.active.is_(True))
        .options(joinedload(User.organisation)).order_by(User.name, User.id)))
